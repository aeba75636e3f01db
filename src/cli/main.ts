#!/usr/bin/env node
/** The ndis-sim command. For now: `demo` (what `npm start` runs), `--version`, `--help`. */
import { createRequire } from 'node:module';
import { runDemo } from './demo.js';

const USAGE = `Usage: ndis-sim <command>

Commands:
  demo        run the bundled example drivers through the verifier and print the findings
  --version   print the version
  --help      print this help`;

function main(argv: readonly string[]): number {
  const [command] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') {
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
    console.log(pkg.version);
    return 0;
  }
  if (command === 'demo') {
    runDemo();
    return 0;
  }
  console.error(`ndis-sim: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
