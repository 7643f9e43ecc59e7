import { expect, test } from '@playwright/test';
import { expectAccessible, linkIn, uniqueEmail, waitForMail } from './helpers.ts';

/**
 * Arabic, right to left: the whole portal in Arabic (every message; the missing-key check in
 * i18n.test.ts covers it), pages mirrored (dir="rtl" and logical CSS), passing axe, and usable
 * on a phone. Screenshots at 360 px are kept under test-results for a person to look at.
 */
test.use({ viewport: { width: 360, height: 740 } });

test('a resident reads the portal in Arabic, right to left, and starts an application', async ({ page }) => {
	await page.goto('/?lang=ar');
	await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('منح صغيرة لحيّك');
	// The page reads from the right: the start of a line is on the right-hand side.
	const start = await page.locator('main h1').evaluate((el) => getComputedStyle(el).direction);
	expect(start).toBe('rtl');
	await expectAccessible(page);
	await page.screenshot({ path: test.info().outputPath('home-ar-360.png'), fullPage: true });

	await page.goto('/calls?lang=ar');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('دعوات لتقديم المشاريع');
	await page.getByRole('link', { name: 'Mötesplatser i kvarteret 2027' }).click();
	// The call is Swedish: marked so inside the Arabic page.
	await expect(page.getByRole('heading', { level: 1 })).toHaveAttribute('lang', 'sv');
	await expect(page.getByRole('heading', { name: 'كيف تُقيَّم الطلبات' })).toBeVisible();
	await expectAccessible(page);
	await page.screenshot({ path: test.info().outputPath('call-ar-360.png'), fullPage: true });

	await page.goto('/statistics?lang=ar');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('إلى أين يذهب المال');
	await expectAccessible(page);
	await page.screenshot({ path: test.info().outputPath('statistics-ar-360.png'), fullPage: true });

	// A new account made in Arabic: the language is preselected, and the email speaks Arabic.
	const email = uniqueEmail('salma');
	const password = 'ثلاث كلمات طويلة معًا';
	await page.context().clearCookies();
	await page.goto('/sign-up?lang=ar');
	await expect(page.locator('#field-locale')).toHaveValue('ar');
	await page.getByLabel('الاسم الكامل').fill('سلمى حداد');
	await page.getByLabel('عنوان البريد الإلكتروني').fill(email);
	await page.getByLabel('كلمة المرور').fill(password);
	await expectAccessible(page);
	await page.getByRole('button', { name: 'إنشاء حساب' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'تحقّق من بريدك الإلكتروني' })).toBeVisible();
	const mail = await waitForMail(email, /أكّد عنوان بريدك الإلكتروني/);
	expect(mail.text).toContain('مرحبًا سلمى حداد،');
	await page.goto(linkIn(mail, '/verify-email'));
	await page.getByRole('button', { name: 'تأكيد بريدي الإلكتروني' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	await page.goto('/sign-in');
	await page.getByLabel('عنوان البريد الإلكتروني').fill(email);
	await page.getByLabel('كلمة المرور', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'تسجيل الدخول' }).last().click();
	await expect(page.locator('form[action="/sign-out"] button')).toBeVisible();
	await page.goto('/account');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('حسابي');
	await expectAccessible(page);
	await page.goto('/calls');
	await page.getByRole('link', { name: 'Mötesplatser i kvarteret 2027' }).click();
	await page.getByRole('link', { name: 'تقدّم بطلب' }).first().click();
	await page.getByRole('radio', { name: 'بنفسي، كأحد السكان' }).check();
	await page.getByRole('button', { name: 'بدء الطلب' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('طلبك');
	await page.getByLabel('العنوان', { exact: true }).fill('مقهى اللغة يوم الخميس');
	await page.getByRole('button', { name: 'حفظ المسودة' }).first().click();
	await expect(page.getByRole('status').filter({ hasText: 'حُفظت مسودتك' }).first()).toBeVisible();
	await expectAccessible(page);
	await page.screenshot({ path: test.info().outputPath('application-ar-360.png'), fullPage: true });
	// No page scrolls sideways in Arabic either.
	expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
});
