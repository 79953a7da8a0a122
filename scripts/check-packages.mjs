// `npm run check:packages [-- NAME…]`: checks every published workspace package the way its users
// will get it. Each package is packed with `npm pack` (so `files`, `.npmignore` and the bin/exports
// paths are exactly what the registry would receive), then the tarball is linted:
//
//   - publint, strict (warnings fail too): exports map, `files`, module format, bin shebang, …
//   - are-the-types-wrong with the esm-only profile: the types every entry point resolves to, for
//     `moduleResolution` node16 (from ESM) and bundler. CommonJS resolutions are not checked:
//     the packages are ESM-only on purpose. Packages with a `bin` and no `exports`/`types` (the
//     CLI) have no types to check and get publint only.
//
// The custom export condition. Library exports look like
//   { "@alterego/source": "./src/index.ts", "types": "./dist/index.d.ts", "default": "./dist/index.js" }
// and `src/` is not in `files`: the condition only serves resolution inside this repository
// (tsconfig `customConditions`, vitest `resolve.conditions`, `node --conditions`). Neither tool
// needs a rule switched off or a message filtered for it:
//   - publint does not require files behind non-standard conditions to be published (libraries
//     use such conditions internally), so the unpublished `./src/*.ts` is not reported, while
//     every standard condition (`types`, `default`, …) is still checked in strict mode. It also
//     allows a condition that points at a raw `.ts` file to come before `types`, since such a
//     file carries its own types; pointed at a `.js` file it would fail
//     EXPORTS_TYPES_SHOULD_BE_FIRST.
//   - attw resolves with the conditions TypeScript and Node use (`types`, `import`, `node`,
//     `default`), which never include `@alterego/source`.
// So every exports object keeps this order: `@alterego/source` (a `.ts` file), `types`, `default`.
//
// Arguments: package names (`@alterego/core`), unscoped names (`core`) or folders
// (`packages/core`) to check a subset; none checks all. The packages must be built (`npm run build`).
// Exit code: 0 all good, 1 a check failed or a package is not built, 2 unknown package name.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Workspace folders from the root package.json: `dir/*` patterns and plain folders. */
function workspaceDirs() {
  const patterns = readJson(join(root, 'package.json')).workspaces ?? [];
  const dirs = [];
  for (const pattern of Array.isArray(patterns) ? patterns : (patterns.packages ?? [])) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const item of readdirSync(parent, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (item.isDirectory()) dirs.push(join(parent, item.name));
      }
    } else {
      dirs.push(join(root, pattern));
    }
  }
  return dirs.filter((dir) => existsSync(join(dir, 'package.json')));
}

function formatBytes(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

function indent(text) {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** True when the published files come from a build: `dist` in `files`, or entry points under dist/. */
function needsBuild(manifest) {
  const fields = [manifest.files, manifest.exports, manifest.bin, manifest.main, manifest.types];
  return /(?:^|"|\.\/)dist(?:\/|")/.test(JSON.stringify(fields));
}

/** `npm pack` through the npm that runs this script when there is one (works on every platform). */
function npm(args, cwd) {
  const execPath = process.env.npm_execpath;
  const [command, prefix] =
    execPath && /\.c?js$/.test(execPath) ? [process.execPath, [execPath]] : ['npm', []];
  return spawnSync(command, [...prefix, ...args], {
    cwd,
    encoding: 'utf8',
    shell: command === 'npm' && process.platform === 'win32',
    maxBuffer: 64 * 1024 * 1024,
  });
}

function pack(dir, destination) {
  const result = npm(['pack', '--json', '--pack-destination', destination], dir);
  if (result.status !== 0) {
    return { error: `npm pack failed (${result.status ?? result.signal}):\n${result.stderr}` };
  }
  // npm prints the JSON array on stdout; lifecycle scripts may print before it.
  const json = result.stdout.slice(result.stdout.indexOf('['));
  const [info] = JSON.parse(json);
  return { info, tarball: join(destination, info.filename) };
}

async function runPublint(tarball, manifest) {
  const data = readFileSync(tarball);
  const { messages } = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    // Warnings are errors; suggestions are shown but do not fail the check.
    strict: true,
    level: 'suggestion',
  });
  const lines = (type) =>
    messages
      .filter((message) => message.type === type)
      .map((message) => `publint ${type}: ${formatMessage(message, manifest, { color: false })}`);
  const errors = lines('error');
  return { ok: errors.length === 0, errors, suggestions: lines('suggestion') };
}

function runAttw(tarball) {
  const cli = require.resolve('@arethetypeswrong/cli/package.json');
  const bin = join(dirname(cli), readJson(cli).bin.attw);
  const result = spawnSync(
    process.execPath,
    [bin, tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function selectPackages(all, names) {
  if (names.length === 0) return all;
  const selected = [];
  const unknown = [];
  for (const name of names) {
    const wanted = resolve(name);
    const found = all.find(
      (pkg) =>
        pkg.manifest.name === name ||
        pkg.manifest.name?.replace(/^@[^/]+\//, '') === name ||
        pkg.dir === wanted,
    );
    if (found) {
      if (!selected.includes(found)) selected.push(found);
    } else {
      unknown.push(name);
    }
  }
  if (unknown.length > 0) {
    const known = all.map((pkg) => pkg.manifest.name).join(', ');
    console.error(
      `check-packages: no workspace package named ${unknown.join(', ')} (known: ${known})`,
    );
    process.exit(2);
  }
  return selected;
}

async function main() {
  const all = workspaceDirs().map((dir) => ({
    dir,
    manifest: readJson(join(dir, 'package.json')),
  }));
  const selected = selectPackages(all, process.argv.slice(2));
  const packages = selected.filter((pkg) => pkg.manifest.private !== true);
  for (const pkg of selected.filter((pkg) => pkg.manifest.private === true)) {
    console.log(`${pkg.manifest.name}: private, not published, skipped`);
  }
  if (packages.length === 0) {
    console.log('check-packages: no published packages to check');
    return 0;
  }

  const unbuilt = packages.filter(
    (pkg) => needsBuild(pkg.manifest) && !existsSync(join(pkg.dir, 'dist')),
  );
  if (unbuilt.length > 0) {
    const where = unbuilt.map((pkg) => `${relative(root, pkg.dir)}/dist`).join(', ');
    console.error(`check-packages: ${where} missing: run "npm run build" first`);
    return 1;
  }

  const width = Math.max(...packages.map((pkg) => pkg.manifest.name.length));
  const temp = mkdtempSync(join(tmpdir(), 'alterego-check-packages-'));
  const cleanUp = () => rmSync(temp, { recursive: true, force: true });
  process.once('exit', cleanUp);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.once(signal, () => {
      cleanUp();
      process.exit(code);
    });
  }

  const failed = [];
  try {
    for (const { dir, manifest } of packages) {
      const name = manifest.name.padEnd(width);
      const destination = mkdtempSync(join(temp, 'pack-'));
      const packed = pack(dir, destination);
      if (packed.error) {
        console.log(`${name}  ${'-'.padStart(9)}  failed`);
        console.log(indent(packed.error));
        failed.push(manifest.name);
        continue;
      }
      const { info, tarball } = packed;
      const lint = await runPublint(tarball, manifest);
      const hasTypes =
        manifest.exports !== undefined ||
        manifest.types !== undefined ||
        manifest.main !== undefined;
      const types = hasTypes ? runAttw(tarball) : undefined;
      const ok = lint.ok && (types?.ok ?? true);
      const checks = hasTypes ? 'publint, attw' : 'publint; attw skipped: bin only, no exports';
      const size = `${formatBytes(info.size).padStart(9)}  ${info.entryCount} files, ${formatBytes(info.unpackedSize)} unpacked`;
      console.log(`${name}  ${size}  ${ok ? 'ok' : 'failed'} (${checks})`);
      if (!lint.ok) console.log(indent(lint.errors.join('\n')));
      if (lint.suggestions.length > 0) console.log(indent(lint.suggestions.join('\n')));
      if (types && !types.ok) console.log(indent(`attw --profile esm-only:\n${types.output}`));
      if (!ok) failed.push(manifest.name);
      rmSync(destination, { recursive: true, force: true });
    }
  } finally {
    cleanUp();
  }

  const count = `${packages.length} package${packages.length === 1 ? '' : 's'}`;
  if (failed.length > 0) {
    console.log(`\ncheck-packages: ${failed.length} of ${count} failed: ${failed.join(', ')}`);
    return 1;
  }
  console.log(`\ncheck-packages: ${count} ok`);
  return 0;
}

process.exitCode = await main();
