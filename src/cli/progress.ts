import type { ImportProgress } from '../lib/server/import';

/**
 * Import progress on a terminal: a bar with rows/s and the time left, redrawn in place. When the
 * output is not a terminal (a log, CI), a plain line every five seconds instead.
 */
export function progressPrinter(out: NodeJS.WriteStream) {
	const started = performance.now();
	const tty = out.isTTY === true;
	let lastLine = 0;
	let drawn = false;
	const clock = (s: number) => (Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}` : '?:??');
	const line = (p: ImportProgress) => {
		const secs = (performance.now() - started) / 1000;
		const share = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 0;
		const rate = p.rows / Math.max(secs, 0.001);
		const left = share > 0 ? (secs / share) * (1 - share) : Infinity;
		const phase = p.phase === 'reading' ? '' : ` ${p.phase}…`;
		const problems = p.problems ? `  ${p.problems.toLocaleString('en-US')} problem(s)` : '';
		return { share, text: `${Math.round(share * 100)}%  ${p.rows.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s  ${clock(left)} left${problems}${phase}` };
	};
	return {
		update(p: ImportProgress) {
			const { share, text } = line(p);
			if (tty) {
				const width = 24;
				const filled = Math.round(share * width);
				out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`);
				drawn = true;
			} else if (performance.now() - lastLine > 5000 || p.phase !== 'reading') {
				lastLine = performance.now();
				out.write(`${text}\n`);
			}
		},
		finish() {
			if (tty && drawn) out.write('\r\x1b[K');
		}
	};
}
