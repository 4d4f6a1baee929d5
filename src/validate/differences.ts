/**
 * Where kiosque's verdict differs from the W3C Feed Validator's on purpose, because a spec says
 * otherwise. docs/rules.md lists them; bench/calibrate.ts counts the corpus cases they explain.
 */
export type Difference = {
  topic: string;
  /** Which corpus cases it concerns (folder or file names), for the calibration report. */
  cases: string;
  /** What kiosque does. */
  kiosque: string;
  /** The spec text that decides it. */
  why: string;
};

export const DIFFERENCES: readonly Difference[] = [];
