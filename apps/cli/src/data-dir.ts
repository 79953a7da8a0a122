import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where alterego keeps what it must remember between runs (the fine-tuning ledger):
 * `$ALTEREGO_HOME`, else `$XDG_DATA_HOME/alterego`, else the platform's place for application
 * data: `~/Library/Application Support/alterego` on macOS, `%LOCALAPPDATA%\alterego` on Windows,
 * `~/.local/share/alterego` elsewhere.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.ALTEREGO_HOME) return env.ALTEREGO_HOME;
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'alterego');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'alterego');
  if (platform === 'win32') {
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'alterego');
  }
  return join(home, '.local', 'share', 'alterego');
}
