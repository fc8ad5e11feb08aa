// Runs sqld (argv: its binary, then its arguments) as a child that never outlives the process that
// started this guard: started with an IPC channel, the guard kills sqld with SIGKILL when that
// channel closes (the test worker exited or was killed, even with SIGKILL), on SIGTERM or SIGINT,
// and exits as sqld does.
import { spawn } from 'node:child_process';

const [bin, ...args] = process.argv.slice(2);
const sqld = spawn(bin, args, { stdio: 'ignore' });
const stop = () => {
	if (sqld.exitCode === null && sqld.signalCode === null) sqld.kill('SIGKILL');
};
if (process.send) process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
sqld.on('error', (e) => {
	console.error(`sqld could not start: ${e.message}`);
	process.exit(1);
});
sqld.on('exit', (code) => process.exit(code ?? 0));
