export type ThemeName = 'light' | 'dark';

export interface ChartTheme {
	background: string;
	text: string;
	muted: string;
	grid: string;
	font: string;
	/** Fill of divergence bands and of mixed-signal hatching. */
	divergence: string;
	mixed: string;
	/** Context events: their lines and labels, and the fill of their bands. */
	context: string;
	contextBand: string;
}

export const THEMES: Record<ThemeName, ChartTheme> = {
	light: {
		background: '#ffffff',
		text: '#1f2328',
		muted: '#59636e',
		grid: '#e3e6ea',
		divergence: 'rgba(179, 88, 6, 0.10)',
		mixed: 'rgba(84, 39, 136, 0.22)',
		context: '#7a5200',
		contextBand: 'rgba(122, 82, 0, 0.10)',
		font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
	},
	dark: {
		background: '#16181d',
		text: '#e6e8eb',
		muted: '#a3abb5',
		grid: '#2e333b',
		divergence: 'rgba(241, 163, 64, 0.14)',
		mixed: 'rgba(178, 171, 210, 0.28)',
		context: '#f2c14e',
		contextBand: 'rgba(242, 193, 78, 0.13)',
		font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
	}
};
