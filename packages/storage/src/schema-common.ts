/** What every domain's tables share: the bounds of open validity and the store's options. */

/** Placeholder bounds for open validity: Date's own range, so comparisons need no NULL logic. */
export const OPEN_START = '1970-01-01';
export const OPEN_END = '2149-06-06';

export interface SchemaOptions {
  retentionMonths: number;
}

/**
 * A stored validity date as an answer shows it: the placeholders above are storage's way of
 * saying "open", so they come out as NULL (absent means absent), never as 1970 or 2149.
 */
export const answerDate = (col: string) => `nullIf(nullIf(toString(${col}), '${OPEN_START}'), '${OPEN_END}')`;
