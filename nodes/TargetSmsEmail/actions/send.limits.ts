/** Letters in flight at once; the provider takes one letter per request. */
export const DEFAULT_EMAIL_CONCURRENCY = 5;
export const MAX_EMAIL_CONCURRENCY = 20;
