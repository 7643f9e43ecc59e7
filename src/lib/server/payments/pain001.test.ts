import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPain001, decimalAmount, sepaText } from './pain001.ts';

// The official schema lives in the shared folder beside the repository (KVARTER_SCHEMAS to override).
const XSD = resolve(process.env.KVARTER_SCHEMAS ?? '../shared/schemas', 'pain.001.001.09-EPC-SCT.xsd');

/** xmllint's verdict: 'valid', or the validation errors. A missing schema or tool fails the test. */
function validate(xml: string): string {
	if (!existsSync(XSD)) throw new Error(`the pain.001 schema is missing at ${XSD}`);
	const file = join(mkdtempSync(join(tmpdir(), 'pain-')), 'batch.xml');
	writeFileSync(file, xml);
	try {
		execFileSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		return 'valid';
	} catch (err) {
		const stderr = String((err as { stderr?: string }).stderr ?? '');
		if (!/fails to validate/.test(stderr)) throw new Error(`xmllint could not check the file: ${stderr}`);
		return stderr;
	}
}

const batch = {
	messageId: 'KVARTER-20261128-1',
	createdAt: new Date('2026-11-28T10:15:00Z'),
	executionDate: '2026-11-30',
	currency: 'EUR',
	debtor: { name: 'Stad Mechelen – Kvarter', iban: 'BE68539007547034', bic: 'GKCCBEBB' },
	payments: [
		{ endToEndId: '3f2a9c1e8b7d4e5f9a0b1c2d3e4f5a6b', amount: 80_000, creditorName: 'Buurtvereniging “De Brug” & Co', iban: 'BE71096123456769', bic: null, remittance: 'Kvarter aanvraag 12, 80 % bij aanvaarding' },
		{ endToEndId: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e', amount: 123_45, creditorName: 'Göran Åström-Weiß', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', remittance: 'Läxhjälp på Norrbacka' },
		{ endToEndId: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b', amount: 1, creditorName: "L'École Saint-Rombout", iban: 'SE4550000000058398257466', bic: null, remittance: 'Final report accepted' }
	]
};

describe('pain.001 credit-transfer files', () => {
	it('validate against the EPC SEPA pain.001.001.09 schema', () => {
		expect(validate(buildPain001(batch))).toBe('valid');
	});

	it('carry the count and control sum of their payments, exactly from minor units', () => {
		const xml = buildPain001(batch);
		expect(xml.match(/<NbOfTxs>3<\/NbOfTxs>/g)).toHaveLength(2);
		expect(xml.match(/<CtrlSum>923\.46<\/CtrlSum>/g)).toHaveLength(2);
		expect(xml).toContain('<InstdAmt Ccy="EUR">800.00</InstdAmt>');
		expect(xml).toContain('<InstdAmt Ccy="EUR">123.45</InstdAmt>');
		expect(xml).toContain('<InstdAmt Ccy="EUR">0.01</InstdAmt>');
		expect(decimalAmount(10_000_000_001)).toBe('100000000.01');
	});

	it('transliterate text into the SEPA character set', () => {
		expect(sepaText('Göran Åström-Weiß', 70)).toBe('Goran Astrom-Weiss');
		expect(sepaText('Buurtvereniging “De Brug” & Co', 70)).toBe("Buurtvereniging 'De Brug' + Co");
		expect(sepaText("L'École — Ærø", 70)).toBe("L'Ecole AEro");
		expect(sepaText('<script>', 70)).toBe('script');
		const xml = buildPain001(batch);
		expect(xml).not.toMatch(/[ÅÄÖåäöéß“”]/);
	});

	it('refuses a file that the schema would refuse', () => {
		const bad = buildPain001({ ...batch, debtor: { ...batch.debtor, iban: 'not-an-iban' } });
		expect(validate(bad)).toMatch(/IBAN/);
	});

	it('leave the SEPA service level out of payments in other currencies (SEK), still valid', () => {
		const sek = buildPain001({ ...batch, currency: 'SEK' });
		expect(validate(sek)).toBe('valid');
		expect(sek).not.toContain('<SvcLvl>');
		expect(sek).toContain('<InstdAmt Ccy="SEK">123.45</InstdAmt>');
		expect(buildPain001(batch)).toContain('<SvcLvl><Cd>SEPA</Cd></SvcLvl>');
	});

	it('write pain.001.001.03 when the bank requires it, with bankgiro and plusgiro payees', () => {
		const xml = buildPain001({
			...batch,
			version: '03',
			currency: 'SEK',
			payments: [
				{ ...batch.payments[1], iban: 'SE4550000000058398257466', bic: 'ESSESESS' },
				{ endToEndId: 'bg1', amount: 500_00, creditorName: 'Norrbacka IF', iban: '5805-6201', kind: 'bankgiro' as const, remittance: 'Kvarter 7' },
				{ endToEndId: 'pg1', amount: 250_00, creditorName: 'Läxhjälpen', iban: '4711-5', kind: 'plusgiro' as const, remittance: 'Kvarter 8' }
			]
		});
		expect(xml).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"');
		expect(xml).toContain('<ReqdExctnDt>2026-11-30</ReqdExctnDt>');
		expect(xml).toContain('<BIC>ESSESESS</BIC>');
		expect(xml).not.toContain('BICFI');
		expect(xml).toContain('<Othr><Id>58056201</Id><SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr>');
		expect(xml).toContain('<MmbId>9900</MmbId>');
		expect(xml).toContain('<Othr><Id>47115</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr>');
		expect(xml).toContain('<MmbId>9960</MmbId>');
		expect(xml.match(/<CtrlSum>(.*?)<\/CtrlSum>/)![1]).toBe('873.45');
		expect(() => buildPain001({ ...batch, payments: [{ endToEndId: 'bg', amount: 1, creditorName: 'X', iban: '58056201', kind: 'bankgiro', remittance: 'r' }] })).toThrow(/03/);
	});
});
