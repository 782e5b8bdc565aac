// Anchors for headings: the same slug on the knowledge page and in the widget's citation links.

const FOLD: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' }

/** "Was ist ein KI-Reallabor?" → "was-ist-ein-ki-reallabor". Linear in the heading's length. */
export function slugOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => FOLD[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** The anchor of a citation's heading path ("Title › Section"): its last part. */
export const anchorOf = (headingPath: string) => slugOf(headingPath.split(' › ').at(-1) ?? headingPath)
