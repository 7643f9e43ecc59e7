import { describe, expect, it } from 'vitest';
import { moneyInputValue, parseMoney } from './money.ts';

describe('parsing amounts typed by people', () => {
	it('reads whole amounts, spaces, thousands separators and decimals into minor units', () => {
		expect(parseMoney('12500')).toBe(1_250_000);
		expect(parseMoney('12 500')).toBe(1_250_000);
		expect(parseMoney('12 500,50')).toBe(1_250_050);
		expect(parseMoney('1.250,00')).toBe(125_000);
		expect(parseMoney('1,250.5')).toBe(125_050);
		expect(parseMoney('€ 800')).toBe(80_000);
		expect(parseMoney('800 kr')).toBe(80_000);
		expect(parseMoney('0')).toBe(0);
		expect(parseMoney('10,555')).toBe(1_055_500); // a thousands separator, not three decimals
	});

	it('refuses negative, non-numeric and over-precise amounts', () => {
		for (const bad of ['-100', 'tusen', '12a', '', '1.2.3', '1e6', '12..5']) expect(parseMoney(bad), bad).toBeNull();
	});

	it('round-trips through the form value', () => {
		for (const v of [0, 100, 1_250_050, 99]) expect(parseMoney(moneyInputValue(v))).toBe(v);
	});
});
