import { createRequire } from 'node:module';

/**
 * Each embedded connection keeps its prepared statements.
 *
 * The libSQL client prepares every statement afresh — SQLite parses and plans it each time — and
 * asks for its columns twice: together about a seventh of the server's time on a page of a dozen
 * small queries (CPU profile of an applicant's application page at 100 000 applications). The
 * client runs each statement to its end at once (`all`, `run`) on one connection at a time, so a
 * prepared statement can be used again on the same connection. This keeps, per connection, the
 * last `KEPT` statements by their SQL text, and the column list of each. Whenever this process runs
 * a statement that changes the schema (migrations, tests), every connection lets its kept
 * statements go (their column lists with them) and prepares afresh; a connection's statements go
 * when it is closed.
 *
 * Applies to `file:` databases only (the native `libsql` module the client loads); remote
 * databases keep statements on the server's side.
 */
const KEPT = 256;

interface NativeStatement {
	columns(): unknown[];
}
interface NativeDatabase {
	prepare(sql: string): NativeStatement;
	close(): void;
}

const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;
let schemaEpoch = 0;
const kept = new WeakMap<NativeDatabase, { epoch: number; statements: Map<string, NativeStatement> }>();
const columnsOf = new WeakMap<NativeStatement, unknown[]>();
let installed = false;

export function keepPreparedStatements() {
	if (installed) return;
	installed = true;
	// The same module instance the client imports: resolved from the client's own folder.
	const fromClient = createRequire(createRequire(import.meta.url).resolve('@libsql/client'));
	const Database = fromClient('libsql') as { prototype: NativeDatabase };
	const prepare = Database.prototype.prepare;
	const close = Database.prototype.close;
	let statementProto: NativeStatement | undefined;

	Database.prototype.prepare = function (this: NativeDatabase, sql: string) {
		if (SCHEMA_CHANGE.test(sql)) {
			schemaEpoch++;
			return prepare.call(this, sql);
		}
		let mine = kept.get(this);
		if (!mine || mine.epoch !== schemaEpoch) kept.set(this, (mine = { epoch: schemaEpoch, statements: new Map() }));
		const found = mine.statements.get(sql);
		if (found) {
			// Most recently used last, so the first is the one to let go.
			mine.statements.delete(sql);
			mine.statements.set(sql, found);
			return found;
		}
		const statement = prepare.call(this, sql);
		if (!statementProto) patchColumns((statementProto = Object.getPrototypeOf(statement) as NativeStatement));
		mine.statements.set(sql, statement);
		if (mine.statements.size > KEPT) mine.statements.delete(mine.statements.keys().next().value!);
		return statement;
	};
	Database.prototype.close = function (this: NativeDatabase) {
		kept.delete(this);
		return close.call(this);
	};
}

/** A statement's columns, read once: a statement kept from before a schema change is never handed out again (above). */
function patchColumns(proto: NativeStatement) {
	const columns = proto.columns;
	proto.columns = function (this: NativeStatement) {
		let found = columnsOf.get(this);
		if (!found) columnsOf.set(this, (found = columns.call(this)));
		return found;
	};
}
