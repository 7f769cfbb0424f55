// Types for chromium.mjs (used from TypeScript by test/e2e/workbench.ts).
import type { BrowserContext, Page } from 'playwright-core';

export declare const HARNESS: string;
export declare const REPO: string;
export declare const CACHE: string;
export declare const CHROMIUM: string;
export declare const MAX_CACHE_PATH: number;
export declare function isLocal(url: string): boolean;

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  /** Origins of refused requests to anything but 127.0.0.1/localhost. */
  blocked: Set<string>;
  close(): Promise<void>;
}
export declare function launchChromium(options?: {
  dir?: string;
  viewport?: { width: number; height: number };
  profile?: string;
}): Promise<LaunchedChromium>;
