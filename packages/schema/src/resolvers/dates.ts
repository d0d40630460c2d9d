/** A DateTime argument (the scalar parses to Date; codegen types it Date | string) as a Date. */
export const asDate = (d: Date | string | null | undefined): Date | undefined =>
  d === null || d === undefined ? undefined : d instanceof Date ? d : new Date(d);
