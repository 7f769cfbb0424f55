// Where requests go and with which key: settings first, then the environment, then OpenAI's default.
import type { SecretStore } from '../ports';
import { displayUrl } from './redact';

export const API_KEY_SECRET = 'tally.apiKey';
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface Endpoint {
  baseUrl: string;
  apiKey: string;
}

/** `tally.baseUrl` if set, else OPENAI_BASE_URL, else OpenAI. Trailing slashes dropped. */
export function resolveBaseUrl(setting: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = (setting?.trim() || env.OPENAI_BASE_URL?.trim() || OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  return url;
}

/** The key from SecretStorage, else OPENAI_API_KEY; undefined when neither is set. */
export async function resolveApiKey(secrets: SecretStore, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const stored = (await secrets.get(API_KEY_SECRET))?.trim();
  if (stored) return stored;
  return env.OPENAI_API_KEY?.trim() || undefined;
}

/** The base URL for display and logs: no user, password, query or fragment. */
export function displayEndpoint(baseUrl: string): string {
  return displayUrl(baseUrl) ?? '(invalid URL)';
}
