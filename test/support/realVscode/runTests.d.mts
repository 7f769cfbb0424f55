// Types for runTests.mjs (used from TypeScript by test/e2e/workbench.ts).
import type { ChildProcess } from 'node:child_process';

export declare const log: (...args: unknown[]) => void;
export declare function freePort(): Promise<number>;
export declare function codeServerVersion(): string | undefined;

export interface StartCodeServerOptions {
  /** Persistent folder for user-data/ and extensions/; default: a fresh <cache>/runs/r-*. */
  profileDir?: string;
  /** Wanted port; a free one when taken or not given. */
  port?: number;
  /** --vscode-option enable-smoke-test-driver (needed for the payload URL; hides notification toasts). */
  smokeTestDriver?: boolean;
  /** A .vsix to install into the profile's extensions folder first. */
  installVsix?: string;
  /** Environment of code-server and so of the extension host (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** More code-server arguments, e.g. a folder to open. */
  args?: string[];
  /** Merged into the profile's User/settings.json (over TALLY_CS_USER_SETTINGS), e.g. a workbench.colorTheme. */
  userSettings?: Record<string, unknown>;
  /**
   * Display language, e.g. 'zh-cn': vscode.env.language and the extension's l10n bundle follow it (a stand-in
   * languagepacks.json + --locale). VS Code's own chrome stays English (the stand-in translates nothing).
   */
  displayLanguage?: string;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT/ */
  url: string;
  runDir: string;
  logFile: string;
  child: ChildProcess;
  /** Ends code-server's whole process group; idempotent. */
  stop(): Promise<void>;
}

export declare function startCodeServer(options?: StartCodeServerOptions): Promise<CodeServer>;
export declare function incompatibleExtensionLines(logFile: string): string[];

export interface RunExtensionTestsOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  folder?: string;
  timeoutS?: number;
  env?: NodeJS.ProcessEnv;
}
export declare function runExtensionTests(options: RunExtensionTestsOptions): Promise<number>;
