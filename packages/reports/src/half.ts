/** The first day of the half-year (1 January or 1 July) that `date` (YYYY-MM-DD) falls in. */
export const halfStart = (date: string): string => `${date.slice(0, 4)}-${Number(date.slice(5, 7)) < 7 ? '01' : '07'}-01`;
