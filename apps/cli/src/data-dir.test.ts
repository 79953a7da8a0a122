import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userDataDir } from './data-dir.js';

describe('userDataDir', () => {
  it('prefers ALTEREGO_HOME, then XDG_DATA_HOME', () => {
    expect(userDataDir({ ALTEREGO_HOME: '/a', XDG_DATA_HOME: '/x' }, 'linux', '/h')).toBe('/a');
    expect(userDataDir({ XDG_DATA_HOME: '/x' }, 'darwin', '/h')).toBe(join('/x', 'alterego'));
  });

  it("uses each platform's place for application data", () => {
    expect(userDataDir({}, 'linux', '/h')).toBe(join('/h', '.local', 'share', 'alterego'));
    expect(userDataDir({}, 'darwin', '/h')).toBe(
      join('/h', 'Library', 'Application Support', 'alterego'),
    );
    expect(userDataDir({ LOCALAPPDATA: 'C:/L' }, 'win32', '/h')).toBe(join('C:/L', 'alterego'));
    expect(userDataDir({}, 'win32', '/h')).toBe(join('/h', 'AppData', 'Local', 'alterego'));
  });
});
