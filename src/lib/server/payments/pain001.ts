/**
 * ISO 20022 customer credit transfer initiation, pain.001.001.09 (the default) or
 * pain.001.001.03 (still required by some banks): one payment per tranche, the end-to-end id
 * being the tranche's id. Amounts come straight from integer minor units; text is reduced to the
 * SEPA character set (å → a, ß → ss, quotes → '), so banks accept it.
 *
 * Euro payments are SEPA credit transfers (service level SEPA). Other currencies (a Swedish
 * municipality pays in SEK) leave the service level out, as the banks' domestic guidelines ask.
 * Bankgiro and plusgiro payees exist only in the 03 files Swedish banks take: the account in
 * `Othr` (scheme BGNR for bankgiro, BBAN for plusgiro) and the clearing member 9900 / 9960.
 */
export interface Pain001Payment {
	endToEndId: string;
	amount: number;
	creditorName: string;
	/** The IBAN, or the bankgiro / plusgiro number when `kind` says so. */
	iban: string;
	kind?: 'iban' | 'bankgiro' | 'plusgiro';
	bic?: string | null;
	remittance: string;
}

export type Pain001Version = '09' | '03';

export interface Pain001Batch {
	version?: Pain001Version;
	messageId: string;
	/** The creation time: an instant (written in UTC), or an ISO 8601 local date-time with offset. */
	createdAt: Date | string;
	executionDate: string;
	currency: string;
	debtor: { name: string; iban: string; bic: string };
	payments: Pain001Payment[];
}

const SEPA_ALLOWED = /[^A-Za-z0-9/\-?:().,'+ ]/g;

/** Text in the SEPA basic Latin set: diacritics dropped, ß → ss, quotes → ', anything else → space. */
export function sepaText(input: string, max: number): string {
	const out = input
		.replace(/ß/g, 'ss')
		.replace(/[Ææ]/g, (c) => (c === 'Æ' ? 'AE' : 'ae'))
		.replace(/[Øø]/g, (c) => (c === 'Ø' ? 'O' : 'o'))
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[‘’‚‛"“”„«»`´]/g, "'")
		.replace(/&/g, '+')
		.replace(SEPA_ALLOWED, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return out.slice(0, max).trim() || '-';
}

/** Minor units as an exact decimal string ("1234.50"), never through floating point. */
export function decimalAmount(minor: number): string {
	if (!Number.isSafeInteger(minor) || minor < 0) throw new Error(`bad amount ${minor}`);
	const s = String(minor).padStart(3, '0');
	return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const GIRO_CLEARING = { bankgiro: '9900', plusgiro: '9960' } as const;

function creditorParts(p: Pain001Payment, bicTag: string): { agent: string; account: string } {
	const kind = p.kind ?? 'iban';
	if (kind === 'iban') {
		return {
			agent: p.bic ? `<CdtrAgt><FinInstnId><${bicTag}>${esc(p.bic)}</${bicTag}></FinInstnId></CdtrAgt>` : '',
			account: `<CdtrAcct><Id><IBAN>${esc(p.iban)}</IBAN></Id></CdtrAcct>`
		};
	}
	const scheme = kind === 'bankgiro' ? '<Prtry>BGNR</Prtry>' : '<Cd>BBAN</Cd>';
	return {
		agent: `<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>SESBA</Cd></ClrSysId><MmbId>${GIRO_CLEARING[kind]}</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>`,
		account: `<CdtrAcct><Id><Othr><Id>${esc(p.iban.replace(/\D/g, ''))}</Id><SchmeNm>${scheme}</SchmeNm></Othr></Id></CdtrAcct>`
	};
}

export function buildPain001(batch: Pain001Batch): string {
	if (batch.payments.length === 0) throw new Error('a payment file needs at least one payment');
	const version = batch.version ?? '09';
	if (version === '09' && batch.payments.some((p) => (p.kind ?? 'iban') !== 'iban')) throw new Error('bankgiro and plusgiro payees go only into pain.001.001.03 files');
	const bicTag = version === '09' ? 'BICFI' : 'BIC';
	const total = batch.payments.reduce((n, p) => n + p.amount, 0);
	const ctrl = decimalAmount(total);
	// Local date-time with its offset (the municipality's clock), or a UTC instant.
	const created = typeof batch.createdAt === 'string' ? batch.createdAt : batch.createdAt.toISOString().slice(0, 19);
	const tx = batch.payments
		.map((p) => {
			const c = creditorParts(p, bicTag);
			return `			<CdtTrfTxInf>
				<PmtId><EndToEndId>${esc(sepaText(p.endToEndId, 35))}</EndToEndId></PmtId>
				<Amt><InstdAmt Ccy="${batch.currency}">${decimalAmount(p.amount)}</InstdAmt></Amt>
${c.agent ? `				${c.agent}\n` : ''}				<Cdtr><Nm>${esc(sepaText(p.creditorName, 70))}</Nm></Cdtr>
				${c.account}
				<RmtInf><Ustrd>${esc(sepaText(p.remittance, 140))}</Ustrd></RmtInf>
			</CdtTrfTxInf>`;
		})
		.join('\n');
	const serviceLevel = batch.currency === 'EUR' ? '\n			<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>' : '';
	const executionDate = version === '09' ? `<ReqdExctnDt><Dt>${batch.executionDate}</Dt></ReqdExctnDt>` : `<ReqdExctnDt>${batch.executionDate}</ReqdExctnDt>`;
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.${version}">
	<CstmrCdtTrfInitn>
		<GrpHdr>
			<MsgId>${esc(sepaText(batch.messageId, 35))}</MsgId>
			<CreDtTm>${created}</CreDtTm>
			<NbOfTxs>${batch.payments.length}</NbOfTxs>
			<CtrlSum>${ctrl}</CtrlSum>
			<InitgPty><Nm>${esc(sepaText(batch.debtor.name, 70))}</Nm></InitgPty>
		</GrpHdr>
		<PmtInf>
			<PmtInfId>${esc(sepaText(batch.messageId, 35))}</PmtInfId>
			<PmtMtd>TRF</PmtMtd>
			<NbOfTxs>${batch.payments.length}</NbOfTxs>
			<CtrlSum>${ctrl}</CtrlSum>${serviceLevel}
			${executionDate}
			<Dbtr><Nm>${esc(sepaText(batch.debtor.name, 70))}</Nm></Dbtr>
			<DbtrAcct><Id><IBAN>${esc(batch.debtor.iban)}</IBAN></Id></DbtrAcct>
			<DbtrAgt><FinInstnId><${bicTag}>${esc(batch.debtor.bic)}</${bicTag}></FinInstnId></DbtrAgt>
			<ChrgBr>SLEV</ChrgBr>
${tx}
		</PmtInf>
	</CstmrCdtTrfInitn>
</Document>
`;
}
