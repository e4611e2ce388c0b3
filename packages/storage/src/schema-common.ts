/** What every domain's tables share: the bounds of open validity and the store's options. */

/** Placeholder bounds for open validity: Date's own range, so comparisons need no NULL logic. */
export const OPEN_START = '1970-01-01';
export const OPEN_END = '2149-06-06';

export interface SchemaOptions {
  retentionMonths: number;
}
