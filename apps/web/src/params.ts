/** Route parameter helpers: identifiers may contain `/`, so detail pages use catch-all segments. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function identifierFromSegments(segments: string[]): string {
  return segments.map(decode).join('/');
}

export function firstParam(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
