/** Ids per state request (message and sms); the provider documents no limit. Why 500: README, "TargetSMS Status". */
export const IDS_PER_REQUEST = 500;
/** Email status takes one id per request; this many run at once. */
export const EMAIL_STATUS_CONCURRENCY = 5;
