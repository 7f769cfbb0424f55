// Adapters from VS Code storage to core ports.
import type * as vscode from 'vscode';
import type { SecretStore } from '../core/ports';

export function secretStore(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}
