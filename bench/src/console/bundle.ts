import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { entryAssets } from './measures';

/** One built file of dist/console, raw and gzipped (level 9, as Vite reports it). */
export interface BundleFile {
  file: string;
  rawBytes: number;
  gzipBytes: number;
  /** index.html loads it up front (the rest are loaded when a route first needs them). */
  entry: boolean;
}

export interface BundleSizes {
  directory: string;
  files: BundleFile[];
  /** JS and CSS only, source maps left out. */
  total: { rawBytes: number; gzipBytes: number };
  /** index.html and what it loads up front. */
  entry: { rawBytes: number; gzipBytes: number };
}

/** The sizes of the built console: index.html and every JS and CSS asset (source maps left out). */
export function bundleSizes(directory: string): BundleSizes {
  const index = readFileSync(join(directory, 'index.html'));
  const entries = new Set(entryAssets(index.toString('utf8')));
  const measure = (file: string, content: Buffer, entry: boolean): BundleFile => ({
    file,
    rawBytes: content.length,
    gzipBytes: gzipSync(content, { level: 9 }).length,
    entry,
  });
  const files: BundleFile[] = [measure('index.html', index, true)];
  const assets = join(directory, 'assets');
  for (const name of readdirSync(assets).sort()) {
    if (!/\.(js|css)$/.test(name) || !statSync(join(assets, name)).isFile()) continue;
    const file = `assets/${name}`;
    files.push(measure(file, readFileSync(join(assets, name)), entries.has(file)));
  }
  const sum = (list: BundleFile[]) => ({
    rawBytes: list.reduce((total, file) => total + file.rawBytes, 0),
    gzipBytes: list.reduce((total, file) => total + file.gzipBytes, 0),
  });
  files.sort((a, b) => Number(b.entry) - Number(a.entry) || b.rawBytes - a.rawBytes);
  return {
    directory,
    files,
    total: sum(files.filter((file) => file.file !== 'index.html')),
    entry: sum(files.filter((file) => file.entry)),
  };
}
