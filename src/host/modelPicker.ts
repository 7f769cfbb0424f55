// The model picker (issue #13 item 3): the panel's select and `Tally: Choose Model` offer Tally's registry plus the
// models the user's endpoint lists (GET /models), with context window and price per 1M. The choice is kept per
// workspace (workspaceState: the user's own choice, never a repository's file) and overrides `tally.model` there;
// "Auto" lets the router pick per request.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { Endpoint } from '../core/api/endpoint';
import { errorMessage } from '../core/errorMessage';
import {
  AUTO_MODEL,
  cleanListedIds,
  effectiveModel,
  modelOptions,
  type ModelOption,
} from '../core/models/modelCatalog';
import type { ModelOverrides } from '../core/tokens/models';

const CHOICE_KEY = 'tally.modelChoice';
/** The endpoint's list from its last answer, per base URL (so the picker and VS Code's Chat have it at startup
 *  without asking the endpoint, which would load the SDK and send a request before anyone looked). */
const LISTED_KEY = 'tally.endpointModels';
/** How long the endpoint's list is reused before it is asked again. */
const LIST_TTL_MS = 10 * 60_000;

export interface ModelPickerDeps {
  workspaceState: vscode.Memento;
  /** Keeps the endpoint's last list across sessions. */
  globalState: vscode.Memento;
  /** The `tally.model` setting and the user's `tally.models`. */
  settings(): { model: string; modelOverrides: ModelOverrides };
  /** The endpoint with its key, or undefined without a key (then only the registry is offered). */
  endpoint(): Promise<Endpoint | undefined>;
  listModelIds(endpoint: Endpoint, signal: AbortSignal): Promise<unknown[]>;
  log: vscode.LogOutputChannel;
}

export class ModelPicker implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the new effective model after a choice. */
  readonly onDidChange = this.changed.event;
  private readonly listedChanged = new vscode.EventEmitter<void>();
  /** Fires when the endpoint answered with its list (VS Code's Chat asks for the models again). */
  readonly onDidListModels = this.listedChanged.event;
  private listed: { baseUrl: string; at: number; ids: Promise<string[]> } | undefined;

  constructor(private readonly deps: ModelPickerDeps) {}

  /** The workspace's choice: a model id, `auto`, or undefined (the `tally.model` setting applies). */
  get choice(): string | undefined {
    const c = this.deps.workspaceState.get<unknown>(CHOICE_KEY);
    return typeof c === 'string' ? c : undefined;
  }

  /** The model requests use: the choice, else the setting. */
  get model(): string {
    return effectiveModel(this.choice, this.deps.settings().model);
  }

  /** The picker's list: registry + the endpoint's models. The endpoint is asked only on `refresh` (the user opened a
   *  picker), at most every 10 minutes; otherwise its last answer is used. A failure is logged and the registry is
   *  offered alone. */
  async options(refresh = false): Promise<ModelOption[]> {
    const { modelOverrides } = this.deps.settings();
    return modelOptions(await this.endpointIds(refresh), modelOverrides);
  }

  /** Makes `id` this workspace's model; refuses an id the list does not offer. Returns false when refused. */
  async choose(id: string): Promise<boolean> {
    const offered = await this.options();
    if (!offered.some((o) => o.id === id)) {
      void vscode.window.showWarningMessage(
        l10n.t('Tally: "{0}" is not among the models offered; nothing changed.', id),
      );
      return false;
    }
    await this.deps.workspaceState.update(CHOICE_KEY, id);
    this.deps.log.info(`Model for this workspace: ${id}`);
    this.changed.fire(this.model);
    return true;
  }

  /** `Tally: Choose Model`: a quick pick of the offered models, the current one marked. */
  async pick(): Promise<void> {
    const current = this.model;
    const items = (await this.options(true)).map((o) => ({
      label: o.label,
      description: [
        o.id === current ? l10n.t('current') : '',
        o.source === 'endpoint' ? l10n.t('from your endpoint') : '',
      ]
        .filter(Boolean)
        .join(' · '),
      detail: o.detail,
      id: o.id,
      picked: o.id === current,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: l10n.t('Tally: Choose Model (this workspace)'),
      placeHolder: l10n.t('Now: {0}', current === AUTO_MODEL ? l10n.t('Auto') : current),
      matchOnDetail: true,
    });
    if (picked) await this.choose(picked.id);
  }

  private async endpointIds(refresh: boolean): Promise<string[]> {
    let endpoint: Endpoint | undefined;
    try {
      endpoint = await this.deps.endpoint();
    } catch {
      return []; // a refused endpoint is told about when a request is made; the registry is still offered
    }
    if (!endpoint) return [];
    const ep = endpoint;
    const fresh = this.listed && this.listed.baseUrl === ep.baseUrl && Date.now() - this.listed.at < LIST_TTL_MS;
    if (refresh && !fresh) this.listed = { baseUrl: ep.baseUrl, at: Date.now(), ids: this.fetchIds(ep) };
    if (this.listed?.baseUrl === ep.baseUrl) return this.listed.ids;
    const kept = this.deps.globalState.get<unknown>(LISTED_KEY);
    const ids = kept && typeof kept === 'object' ? (kept as Record<string, unknown>)[ep.baseUrl] : undefined;
    return Array.isArray(ids) ? cleanListedIds(ids).ids : [];
  }

  private async fetchIds(endpoint: Endpoint): Promise<string[]> {
    try {
      const { ids, dropped, cut } = cleanListedIds(await this.deps.listModelIds(endpoint, AbortSignal.timeout(15_000)));
      if (dropped || cut)
        this.deps.log.warn(
          `The endpoint's model list: ${dropped} malformed id(s) left out${cut ? `, cut at ${ids.length}` : ''}`,
        );
      // Kept for the next session, for this base URL only (a few endpoints at most: the last 5).
      const kept = this.deps.globalState.get<Record<string, unknown>>(LISTED_KEY) ?? {};
      const entries = Object.entries(kept)
        .filter(([url]) => url !== endpoint.baseUrl)
        .slice(-4);
      await this.deps.globalState.update(LISTED_KEY, Object.fromEntries([...entries, [endpoint.baseUrl, ids]]));
      this.listedChanged.fire();
      return ids;
    } catch (e) {
      this.deps.log.warn(`Could not list the endpoint's models (registry only): ${errorMessage(e)}`);
      this.listed = undefined; // asked again next time
      return [];
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.listedChanged.dispose();
  }
}
