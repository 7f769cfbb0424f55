// The one reader of `tally.*` settings. Each setting's layers come from `inspect()`, so which layer counts is decided
// in core (core/settings/settingLayers.ts): where requests go, prices and the cache only from the user's own
// settings; limits a workspace may only tighten. Values are validated once per change (core/settings/
// tallySettings.ts); each problem is logged once, and each setting a workspace tried to set but may not is reported
// once to the user. Features get typed values and one change event; nothing else calls getConfiguration.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { sectionLayers } from '../core/settings/sectionLayers';
import { resolveSettings, type TallySettings } from '../core/settings/tallySettings';

export type { TallySettings } from '../core/settings/tallySettings';

const SECTION = 'tally';

export class Settings implements vscode.Disposable {
  private value: TallySettings;
  private readonly emitter = new vscode.EventEmitter<vscode.ConfigurationChangeEvent | undefined>();
  private readonly subscription: vscode.Disposable;
  private readonly reported = new Set<string>();

  /** Fires after the settings were re-read; the event says which settings changed. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly log: Logger,
    private readonly notify: (message: string) => void,
  ) {
    this.value = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.value = this.read();
      this.emitter.fire(e);
    });
  }

  /** The current settings (validated; re-read when they change). */
  get current(): TallySettings {
    return this.value;
  }

  private read(): TallySettings {
    // One inspect() of the section, not one per setting (see sectionLayers.ts).
    const section = vscode.workspace.getConfiguration().inspect(SECTION);
    const { settings, problems, ignored } = resolveSettings((key) => sectionLayers(section, key));
    for (const p of problems)
      this.once(`problem:${p}`, () => {
        this.log.warn(p);
        // A routing cell that names an unknown model would silently answer with another model: say so.
        if (p.startsWith('tally.routing:')) this.notify(p);
      });
    for (const key of ignored) {
      this.once(`ignored:${key}`, () => {
        // The log keeps the English sentence (bug reports, and the security test reads it); the user reads it
        // in the display language.
        this.log.warn(
          `Tally ignored ${key} from this workspace's settings: where your key and code are sent, prices, ` +
            'the shared cache and your budgets are decided only in your user settings (a workspace may only make a budget stricter).',
        );
        this.notify(
          l10n.t(
            "Tally ignored {0} from this workspace's settings: where your key and code are sent, prices, the shared cache and your budgets are decided only in your user settings (a workspace may only make a budget stricter).",
            key,
          ),
        );
      });
    }
    return settings;
  }

  private once(key: string, report: () => void): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    report();
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
