import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
	to: string;
	subject: string;
	text: string;
	html: string;
}

/**
 * A real SMTP server on loopback that keeps what it receives. `failNext(n)` makes the next n
 * messages fail with a 451, so retry paths can be tested against the real protocol.
 */
export async function startTestSmtp(onMail?: (mail: ReceivedMail) => void, port = 0) {
	const received: ReceivedMail[] = [];
	let failures = 0;
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', async () => {
				if (failures > 0) {
					failures--;
					const err = new Error('Mailbox temporarily unavailable') as Error & { responseCode: number };
					err.responseCode = 451;
					return callback(err);
				}
				const parsed = await simpleParser(Buffer.concat(chunks));
				const mail = {
					to: session.envelope.rcptTo.map((r) => r.address).join(','),
					subject: parsed.subject ?? '',
					text: parsed.text ?? '',
					html: typeof parsed.html === 'string' ? parsed.html : ''
				};
				received.push(mail);
				onMail?.(mail);
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
	const bound = (server.server.address() as { port: number }).port;
	return {
		port: bound,
		url: `smtp://127.0.0.1:${bound}`,
		received,
		failNext(n: number) {
			failures = n;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
