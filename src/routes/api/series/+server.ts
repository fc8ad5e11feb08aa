import { env } from '$env/dynamic/private';
import { db } from '$lib/server/db';
import { MAX_SERIES_POINTS, serveSeries } from '$lib/server/read/series';
import type { RequestHandler } from './$types';

// SERIES_MAX_POINTS lowers (or raises) the most points served unaggregated.
const maxPoints = Number(env.SERIES_MAX_POINTS) > 0 ? Number(env.SERIES_MAX_POINTS) : MAX_SERIES_POINTS;

export const GET: RequestHandler = ({ url, request }) => serveSeries(db, url, request, { maxPoints });
