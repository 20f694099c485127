/** Recipients per request; why 500 is in the README ("Batching"). */
export const DEFAULT_BATCH_SIZE = 500;
export const MAX_BATCH_SIZE = 10_000;
