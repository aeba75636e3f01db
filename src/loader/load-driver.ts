/**
 * Loading a user's driver (STACK.md): bundled once with esbuild in memory (CommonJS, packages
 * external, `ndis-sim` external, external source map), then evaluated as a fresh CommonJS instance
 * per run — fresh driver globals for every fault-injection run — whose `require('ndis-sim')` returns
 * the host's own API object, so a globally installed ndis-sim never splits into two copies. Stack
 * frames in the bundle are mapped back to the driver's .ts lines when a violation is reported.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import * as api from '../index.js';
import { addFrameMapper } from '../verifier/site.js';

/** What a driver module exports (DriverEntry, optionally its own scenarios). */
export type DriverModule = Record<string, unknown>;

/** A driver bundled once; `instantiate` gives a fresh module instance each call. */
export interface LoadedDriver {
  /** Absolute path of the entry file. */
  readonly file: string;
  /**
   * A fresh instance of the driver's module (its exports). `ndisSim` replaces what
   * `require('ndis-sim')` returns for this instance (recording wraps the DDIs).
   */
  instantiate(ndisSim?: object): DriverModule;
  /** Stops mapping this bundle's frames (when the command ends). */
  dispose(): void;
}

/** A driver that could not be loaded: names the file and the cause (usage error, exit code 2). */
export class DriverLoadError extends Error {
  override readonly name = 'DriverLoadError';
  constructor(
    readonly file: string,
    cause: string,
  ) {
    super(`cannot load driver ${file}: ${cause}`);
  }
}

/** The entry file of a lone file, or of a package folder (package.json main, else index.ts/js). */
export function resolveEntry(target: string): string {
  const absolute = path.resolve(target);
  if (!existsSync(absolute)) throw new DriverLoadError(absolute, 'no such file or folder');
  if (!statSync(absolute).isDirectory()) return absolute;
  const pkgFile = path.join(absolute, 'package.json');
  if (existsSync(pkgFile)) {
    try {
      const main = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { main?: unknown }).main;
      if (typeof main === 'string' && existsSync(path.join(absolute, main))) return path.join(absolute, main);
    } catch (error) {
      throw new DriverLoadError(pkgFile, `package.json is not valid JSON (${(error as Error).message})`);
    }
  }
  for (const name of ['index.ts', 'index.mts', 'index.js', 'index.mjs', 'driver.ts']) {
    if (existsSync(path.join(absolute, name))) return path.join(absolute, name);
  }
  throw new DriverLoadError(absolute, 'a folder needs package.json "main" or an index.ts / index.js');
}

/**
 * The path prefix stripped from a driver's stack frames: the folder of its resolved entry file (for
 * a package folder, the file package.json names). Every runner uses it, so a `site:` id that
 * `explore` prints is the id `run --faults` looks for.
 */
export function driverRoot(entryFile: string): string {
  return `${path.dirname(entryFile)}${path.sep}`;
}

/** Bundles the driver at `target` (a file or a package folder) once. */
export async function loadDriver(target: string): Promise<LoadedDriver> {
  const file = resolveEntry(target);
  const { build } = await import('esbuild');
  const bundleName = `${file}.ndis-sim-bundle.cjs`;
  let code: string;
  let map: string;
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      external: ['ndis-sim'],
      sourcemap: 'external',
      write: false,
      outfile: bundleName,
      logLevel: 'silent',
    });
    code = result.outputFiles.find((f) => f.path.endsWith('.cjs'))?.text ?? '';
    map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text ?? '{}';
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> })
      .errors;
    const first = errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    const text = first?.text ?? (error as Error).message;
    const hint = /top-level await/i.test(text) ? ' — load it with --loader esm' : '';
    throw new DriverLoadError(file, `${text}${where}${hint}`);
  }

  const sourceMap = new SourceMap(JSON.parse(map));
  const mapDir = path.dirname(bundleName);
  const dispose = addFrameMapper((frameFile, line, column) => {
    if (frameFile !== bundleName) return null;
    const entry = sourceMap.findEntry(line - 1, column - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return null;
    const source = path.resolve(mapDir, entry.originalSource.replace(/^file:\/\//, ''));
    return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });

  let compiled: (...args: unknown[]) => void;
  try {
    const wrapper = `(function (exports, require, module, __filename, __dirname) {${code}\n})`;
    compiled = new Script(wrapper, { filename: bundleName }).runInThisContext() as typeof compiled;
  } catch (error) {
    dispose();
    throw new DriverLoadError(file, (error as Error).message);
  }
  const requireFromDriver = createRequire(file);

  return {
    file,
    dispose,
    instantiate(ndisSim: object = api): DriverModule {
      const module = { exports: {} as DriverModule };
      const driverRequire = (id: string): unknown => (id === 'ndis-sim' ? ndisSim : requireFromDriver(id));
      try {
        compiled(module.exports, driverRequire, module, file, path.dirname(file));
      } catch (error) {
        throw new DriverLoadError(file, `its top level threw: ${(error as Error).message}`);
      }
      return module.exports;
    },
  };
}
