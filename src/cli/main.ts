#!/usr/bin/env node
import { runCli } from './cli.ts';
import { commandLine, nodeIo, setExitCode } from './node-host.ts';

setExitCode(await runCli(commandLine(), nodeIo()));
