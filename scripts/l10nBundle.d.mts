// Types for l10nBundle.mjs (used from TypeScript by test/unit/l10n.test.ts).
export declare const REPO: string;
export declare function readFragment(file: string): Record<string, string>;
export declare function readFragments(languageDir: string): { file: string; entries: Record<string, string> }[];
export declare function mergeFragments(
  fragments: { file: string; entries: Record<string, string> }[],
): Record<string, string>;
export declare function writeBundles(options?: { repo?: string }): { language: string; file: string; keys: number }[];
