import * as hrana from '@libsql/hrana-client';
import { LibsqlError, type Client, type InArgs, type InStatement, type ResultSet } from '@libsql/client';
import { expandConfig } from '@libsql/core/config';
import { encodeBaseUrl } from '@libsql/core/uri';
import { ResultSetImpl } from '@libsql/core/util';

/** At most this many statements run at once (the libSQL client's own limit); others wait their turn. */
const STREAMS = 20;
/** At most this many streams wait open for the next statement; more are closed after use. */
const IDLE_STREAMS = 8;
/** A connection is replaced after this long, as the libSQL client replaces its own. */
const CONNECTION_AGE_MS = 60_000;

interface Connection {
	client: hrana.WsClient;
	opened: number;
	idle: hrana.Stream[];
	busy: number;
	retired: boolean;
}

function toStmt(stmtOrSql: InStatement, args?: InArgs) {
	const { sql, args: bound } = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args } : stmtOrSql;
	const stmt = new hrana.Stmt(sql);
	if (Array.isArray(bound)) stmt.bindIndexes(bound);
	else if (bound) for (const [name, value] of Object.entries(bound)) stmt.bindName(name, value);
	return stmt;
}

/** The error the libSQL client would have thrown for the same failure (its code is what callers test). */
function asLibsqlError(e: unknown): unknown {
	if (!(e instanceof hrana.ClientError)) return e;
	let code = 'UNKNOWN';
	if (e instanceof hrana.ResponseError && e.code !== undefined) code = e.code;
	else if (e instanceof hrana.ClosedError) code = e.cause instanceof hrana.ResponseError && e.cause.code ? e.cause.code : 'HRANA_CLOSED_ERROR';
	else if (e instanceof hrana.WebSocketError) code = 'HRANA_WEBSOCKET_ERROR';
	else if (e instanceof hrana.ProtoError) code = 'HRANA_PROTO_ERROR';
	return new LibsqlError(e.message, code, undefined, undefined, e);
}

/**
 * A libSQL server (sqld) opens a database connection for each stream, and the libSQL client opens
 * a stream for each statement outside a transaction: with Kvarter's schema that cost about 3 ms of
 * the server's time per statement here (the new connection reads the schema), against 0.4 ms on a
 * stream that stays open. So over WebSocket (`libsql:`, `ws:`, `wss:` URLs), statements outside
 * transactions run on streams kept open, one statement at a time each, in autocommit exactly as on
 * a fresh stream; transactions, batches and migrations stay with the client. Other URLs (a file,
 * `http:`) get the client as it is.
 */
export function keepStreamsOpen(client: Client, url: string, authToken?: string): Client {
	const config = expandConfig({ url, authToken }, false);
	if (config.scheme !== 'ws' && config.scheme !== 'wss') return client;
	const base = encodeBaseUrl(config.scheme, config.authority, config.path);
	let connection: Connection | undefined;
	let closed = false;
	let running = 0;
	const waiting: (() => void)[] = [];

	const retire = (c: Connection) => {
		c.retired = true;
		for (const s of c.idle.splice(0)) s.close();
		if (c.busy === 0) c.client.close();
	};
	const current = () => {
		if (closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
		if (connection && !connection.retired && !connection.client.closed && Date.now() - connection.opened < CONNECTION_AGE_MS) return connection;
		if (connection) retire(connection);
		connection = { client: hrana.openWs(base, config.authToken), opened: Date.now(), idle: [], busy: 0, retired: false };
		return connection;
	};

	const execute = async (stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> => {
		// A finished statement hands its turn straight to the next waiting one.
		if (running >= STREAMS) await new Promise<void>((resolve) => waiting.push(resolve));
		else running++;
		try {
			return await run(stmtOrSql, args);
		} finally {
			const next = waiting.shift();
			if (next) next();
			else running--;
		}
	};

	const run = async (stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> => {
		const c = current();
		const stmt = toStmt(stmtOrSql, args);
		let stream = c.idle.pop();
		while (stream?.closed) stream = c.idle.pop();
		stream ??= c.client.openStream();
		c.busy++;
		let ok = false;
		try {
			const rows = await stream.query(stmt);
			ok = true;
			return new ResultSetImpl(
				rows.columnNames.map((n) => n ?? ''),
				rows.columnDecltypes.map((t) => t ?? ''),
				rows.rows,
				rows.affectedRowCount,
				rows.lastInsertRowid
			);
		} catch (e) {
			throw asLibsqlError(e);
		} finally {
			c.busy--;
			if (ok && !c.retired && !stream.closed && c.idle.length < IDLE_STREAMS) c.idle.push(stream);
			else stream.close();
			if (c.retired && c.busy === 0) c.client.close();
		}
	};

	return new Proxy(client, {
		get(target, prop) {
			if (prop === 'execute') return execute;
			if (prop === 'close')
				return () => {
					closed = true;
					if (connection) retire(connection);
					target.close();
				};
			const value = Reflect.get(target, prop, target);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}
