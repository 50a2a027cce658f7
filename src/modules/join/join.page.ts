/**
 * The public join page (#17): server-rendered HTML like the survey answer page, phone-first
 * (one column, 48 px targets, labelled fields), in six languages with RTL for Persian. The only
 * script, `/api/v1/j/pow.js`, solves the proof of work before the form is sent.
 */

type Texts = {
  title: string; intro: string; forCompany: string; name: string; email: string; phone: string; contactHint: string; role: string; company: string; companyHint: string;
  consent: string; marketing: string; send: string; working: string; fix: string; pendingTitle: string; pendingBody: string; approvedTitle: string; approvedBody: string;
  signIn: string; card: string; closed: string; linkInvalid: string; already: string; pending: string; challenge: string; used: string; tooMany: string; again: string;
  f_name: string; f_email: string; f_phone: string; f_role: string; f_companyCode: string; f_consent: string; f_contact: string;
};

export const JOIN_UI: Record<'en' | 'fr' | 'uk' | 'hi' | 'tl' | 'fa', Texts> = {
  en: {
    title: 'Join {program}', intro: 'Register in one minute. Your company or the program approves you, then you can sign in to the portal.', forCompany: 'For the staff of {company}',
    name: 'Your name', email: 'E-mail', phone: 'Mobile phone', contactHint: 'An e-mail or a phone number (or both): you sign in with it.', role: 'Your role', company: 'Company code', companyHint: 'The customer number of your company, as on its invoices.',
    consent: 'I agree that the program keeps my name and contact to run my membership, and I accept its terms.', marketing: 'Send me offers and news too (optional).', send: 'Register', working: 'Checking that you are not a robot…', fix: 'Please correct:',
    pendingTitle: 'Thank you — your request is sent', pendingBody: 'Your company or the program will approve it soon. You will get a message, then you can sign in.', approvedTitle: 'Welcome — you are a member', approvedBody: 'Sign in to the portal with your e-mail or phone to see your points and rewards.',
    signIn: 'Sign in to the portal', card: 'Your loyalty card is waiting in the portal: add it to Apple Wallet or Google Wallet from there.', closed: 'There is no join page at this address.', linkInvalid: 'This join link is not valid. Ask your company for a new one.',
    already: 'You are already a member: sign in to the portal instead.', pending: 'A request with this e-mail or phone already waits for approval.', challenge: 'The anti-spam check did not pass. Please send the form again.', used: 'This form was already sent. Reload the page to register someone else.', tooMany: 'Too many attempts from this network. Please wait a minute.', again: 'Register someone else',
    f_name: 'Enter your name.', f_email: 'Enter a valid e-mail address.', f_phone: 'Enter a valid mobile number (with the country code if it is abroad).', f_role: 'Choose your role.', f_companyCode: 'No company has this code. Check it on an invoice.', f_consent: 'Tick the box to agree.', f_contact: 'Enter an e-mail or a phone number.',
  },
  fr: {
    title: 'Rejoindre {program}', intro: 'Inscrivez-vous en une minute. Votre entreprise ou le programme vous valide, puis vous vous connectez au portail.', forCompany: 'Pour le personnel de {company}',
    name: 'Votre nom', email: 'E-mail', phone: 'Téléphone mobile', contactHint: 'Un e-mail ou un numéro de téléphone (ou les deux) : vous vous connectez avec.', role: 'Votre fonction', company: 'Code entreprise', companyHint: 'Le numéro client de votre entreprise, tel qu’il figure sur ses factures.',
    consent: 'J’accepte que le programme conserve mon nom et mes coordonnées pour gérer mon adhésion, et j’en accepte les conditions.', marketing: 'Envoyez-moi aussi des offres et des nouvelles (facultatif).', send: 'M’inscrire', working: 'Vérification que vous n’êtes pas un robot…', fix: 'Merci de corriger :',
    pendingTitle: 'Merci — votre demande est envoyée', pendingBody: 'Votre entreprise ou le programme la validera bientôt. Vous recevrez un message, puis vous pourrez vous connecter.', approvedTitle: 'Bienvenue — vous êtes membre', approvedBody: 'Connectez-vous au portail avec votre e-mail ou votre téléphone pour voir vos points et récompenses.',
    signIn: 'Se connecter au portail', card: 'Votre carte de fidélité vous attend sur le portail : ajoutez-la à Apple Wallet ou Google Wallet depuis celui-ci.', closed: 'Il n’y a pas de page d’inscription à cette adresse.', linkInvalid: 'Ce lien d’inscription n’est pas valide. Demandez-en un nouveau à votre entreprise.',
    already: 'Vous êtes déjà membre : connectez-vous plutôt au portail.', pending: 'Une demande avec cet e-mail ou ce téléphone attend déjà sa validation.', challenge: 'La vérification anti-spam a échoué. Renvoyez le formulaire.', used: 'Ce formulaire a déjà été envoyé. Rechargez la page pour inscrire une autre personne.', tooMany: 'Trop de tentatives depuis ce réseau. Patientez une minute.', again: 'Inscrire une autre personne',
    f_name: 'Indiquez votre nom.', f_email: 'Indiquez une adresse e-mail valide.', f_phone: 'Indiquez un numéro de mobile valide (avec l’indicatif s’il est à l’étranger).', f_role: 'Choisissez votre fonction.', f_companyCode: 'Aucune entreprise n’a ce code. Vérifiez-le sur une facture.', f_consent: 'Cochez la case pour accepter.', f_contact: 'Indiquez un e-mail ou un numéro de téléphone.',
  },
  uk: {
    title: 'Приєднатися до {program}', intro: 'Зареєструйтеся за хвилину. Ваша компанія або програма підтвердить вас, і ви зможете увійти на портал.', forCompany: 'Для працівників {company}',
    name: 'Ваше ім’я', email: 'E-mail', phone: 'Мобільний телефон', contactHint: 'E-mail або номер телефону (або обидва): ними ви входите.', role: 'Ваша посада', company: 'Код компанії', companyHint: 'Номер клієнта вашої компанії, як у її рахунках.',
    consent: 'Я погоджуюся, що програма зберігає моє ім’я та контакти для ведення мого членства, і приймаю її умови.', marketing: 'Надсилайте мені також пропозиції та новини (необов’язково).', send: 'Зареєструватися', working: 'Перевіряємо, що ви не робот…', fix: 'Будь ласка, виправте:',
    pendingTitle: 'Дякуємо — ваш запит надіслано', pendingBody: 'Ваша компанія або програма незабаром його підтвердить. Ви отримаєте повідомлення й зможете увійти.', approvedTitle: 'Вітаємо — ви учасник', approvedBody: 'Увійдіть на портал за своїм e-mail або телефоном, щоб бачити бали й винагороди.',
    signIn: 'Увійти на портал', card: 'Ваша картка лояльності чекає на порталі: додайте її звідти до Apple Wallet або Google Wallet.', closed: 'За цією адресою немає сторінки реєстрації.', linkInvalid: 'Це посилання для реєстрації недійсне. Попросіть у своєї компанії нове.',
    already: 'Ви вже учасник: краще увійдіть на портал.', pending: 'Запит із цим e-mail або телефоном уже чекає на підтвердження.', challenge: 'Перевірка від спаму не пройшла. Надішліть форму ще раз.', used: 'Цю форму вже надіслано. Оновіть сторінку, щоб зареєструвати іншу людину.', tooMany: 'Забагато спроб із цієї мережі. Зачекайте хвилину.', again: 'Зареєструвати іншу людину',
    f_name: 'Вкажіть своє ім’я.', f_email: 'Вкажіть правильну адресу e-mail.', f_phone: 'Вкажіть правильний мобільний номер (із кодом країни, якщо він закордонний).', f_role: 'Оберіть свою посаду.', f_companyCode: 'Жодна компанія не має такого коду. Перевірте його в рахунку.', f_consent: 'Позначте поле, щоб погодитися.', f_contact: 'Вкажіть e-mail або номер телефону.',
  },
  hi: {
    title: '{program} से जुड़ें', intro: 'एक मिनट में पंजीकरण करें। आपकी कंपनी या कार्यक्रम आपको स्वीकृत करेगा, फिर आप पोर्टल में साइन इन कर सकेंगे।', forCompany: '{company} के कर्मचारियों के लिए',
    name: 'आपका नाम', email: 'ईमेल', phone: 'मोबाइल फ़ोन', contactHint: 'ईमेल या फ़ोन नंबर (या दोनों): इसी से आप साइन इन करेंगे।', role: 'आपकी भूमिका', company: 'कंपनी कोड', companyHint: 'आपकी कंपनी का ग्राहक नंबर, जैसा उसके बिलों पर है।',
    consent: 'मैं सहमत हूँ कि कार्यक्रम मेरी सदस्यता चलाने के लिए मेरा नाम और संपर्क रखे, और मैं इसकी शर्तें स्वीकार करता/करती हूँ।', marketing: 'मुझे ऑफ़र और समाचार भी भेजें (वैकल्पिक)।', send: 'पंजीकरण करें', working: 'जाँच रहे हैं कि आप रोबोट नहीं हैं…', fix: 'कृपया सुधारें:',
    pendingTitle: 'धन्यवाद — आपका अनुरोध भेज दिया गया', pendingBody: 'आपकी कंपनी या कार्यक्रम जल्द ही इसे स्वीकृत करेगा। आपको संदेश मिलेगा, फिर आप साइन इन कर सकेंगे।', approvedTitle: 'स्वागत है — आप सदस्य हैं', approvedBody: 'अपने अंक और पुरस्कार देखने के लिए अपने ईमेल या फ़ोन से पोर्टल में साइन इन करें।',
    signIn: 'पोर्टल में साइन इन करें', card: 'आपका लॉयल्टी कार्ड पोर्टल में आपकी प्रतीक्षा कर रहा है: वहाँ से इसे Apple Wallet या Google Wallet में जोड़ें।', closed: 'इस पते पर कोई पंजीकरण पृष्ठ नहीं है।', linkInvalid: 'यह पंजीकरण लिंक मान्य नहीं है। अपनी कंपनी से नया लिंक माँगें।',
    already: 'आप पहले से सदस्य हैं: इसके बजाय पोर्टल में साइन इन करें।', pending: 'इस ईमेल या फ़ोन वाला एक अनुरोध पहले से स्वीकृति की प्रतीक्षा में है।', challenge: 'स्पैम-रोधी जाँच सफल नहीं हुई। कृपया फ़ॉर्म फिर से भेजें।', used: 'यह फ़ॉर्म पहले ही भेजा जा चुका है। किसी और का पंजीकरण करने के लिए पृष्ठ फिर से लोड करें।', tooMany: 'इस नेटवर्क से बहुत अधिक प्रयास। कृपया एक मिनट रुकें।', again: 'किसी और का पंजीकरण करें',
    f_name: 'अपना नाम लिखें।', f_email: 'मान्य ईमेल पता लिखें।', f_phone: 'मान्य मोबाइल नंबर लिखें (विदेशी हो तो देश कोड सहित)।', f_role: 'अपनी भूमिका चुनें।', f_companyCode: 'किसी कंपनी का यह कोड नहीं है। इसे बिल पर जाँचें।', f_consent: 'सहमति के लिए बॉक्स पर निशान लगाएँ।', f_contact: 'ईमेल या फ़ोन नंबर लिखें।',
  },
  tl: {
    title: 'Sumali sa {program}', intro: 'Magparehistro sa loob ng isang minuto. Aaprubahan ka ng iyong kumpanya o ng programa, saka ka makakapag-sign in sa portal.', forCompany: 'Para sa mga empleyado ng {company}',
    name: 'Iyong pangalan', email: 'E-mail', phone: 'Mobile na telepono', contactHint: 'Isang e-mail o numero ng telepono (o pareho): ito ang gagamitin mo sa pag-sign in.', role: 'Iyong tungkulin', company: 'Code ng kumpanya', companyHint: 'Ang customer number ng iyong kumpanya, gaya ng nasa mga invoice nito.',
    consent: 'Pumapayag akong itago ng programa ang aking pangalan at contact para sa aking pagiging miyembro, at tinatanggap ko ang mga tuntunin nito.', marketing: 'Padalhan din ako ng mga alok at balita (opsyonal).', send: 'Magparehistro', working: 'Tinitiyak na hindi ka robot…', fix: 'Pakiwasto:',
    pendingTitle: 'Salamat — naipadala ang iyong kahilingan', pendingBody: 'Aaprubahan ito ng iyong kumpanya o ng programa sa lalong madaling panahon. Makakatanggap ka ng mensahe, saka ka makakapag-sign in.', approvedTitle: 'Maligayang pagdating — miyembro ka na', approvedBody: 'Mag-sign in sa portal gamit ang iyong e-mail o telepono para makita ang iyong points at rewards.',
    signIn: 'Mag-sign in sa portal', card: 'Naghihintay sa portal ang iyong loyalty card: idagdag ito sa Apple Wallet o Google Wallet mula roon.', closed: 'Walang pahina ng pagsali sa address na ito.', linkInvalid: 'Hindi wasto ang link na ito. Humingi ng bago sa iyong kumpanya.',
    already: 'Miyembro ka na: mag-sign in na lang sa portal.', pending: 'May kahilingan na gamit ang e-mail o teleponong ito na naghihintay ng pag-apruba.', challenge: 'Hindi pumasa ang anti-spam na pagsusuri. Pakipadala muli ang form.', used: 'Naipadala na ang form na ito. I-reload ang pahina para magparehistro ng iba.', tooMany: 'Masyadong maraming pagsubok mula sa network na ito. Maghintay ng isang minuto.', again: 'Magparehistro ng iba',
    f_name: 'Ilagay ang iyong pangalan.', f_email: 'Maglagay ng wastong e-mail address.', f_phone: 'Maglagay ng wastong mobile number (may country code kung nasa ibang bansa).', f_role: 'Piliin ang iyong tungkulin.', f_companyCode: 'Walang kumpanyang may ganitong code. Tingnan ito sa isang invoice.', f_consent: 'Lagyan ng tsek ang kahon para pumayag.', f_contact: 'Maglagay ng e-mail o numero ng telepono.',
  },
  fa: {
    title: 'عضویت در {program}', intro: 'در یک دقیقه ثبت‌نام کنید. شرکت شما یا برنامه شما را تأیید می‌کند، سپس می‌توانید وارد پورتال شوید.', forCompany: 'برای کارکنان {company}',
    name: 'نام شما', email: 'ایمیل', phone: 'تلفن همراه', contactHint: 'یک ایمیل یا شماره تلفن (یا هر دو): با آن وارد می‌شوید.', role: 'نقش شما', company: 'کد شرکت', companyHint: 'شماره مشتری شرکت شما، همان‌طور که روی فاکتورهایش آمده است.',
    consent: 'موافقم که برنامه نام و اطلاعات تماس من را برای مدیریت عضویتم نگه دارد و شرایط آن را می‌پذیرم.', marketing: 'پیشنهادها و اخبار را هم برایم بفرستید (اختیاری).', send: 'ثبت‌نام', working: 'در حال بررسی اینکه ربات نیستید…', fix: 'لطفاً اصلاح کنید:',
    pendingTitle: 'سپاس — درخواست شما فرستاده شد', pendingBody: 'شرکت شما یا برنامه به‌زودی آن را تأیید می‌کند. پیامی دریافت می‌کنید و سپس می‌توانید وارد شوید.', approvedTitle: 'خوش آمدید — شما عضو هستید', approvedBody: 'برای دیدن امتیازها و جوایز خود با ایمیل یا تلفن وارد پورتال شوید.',
    signIn: 'ورود به پورتال', card: 'کارت وفاداری شما در پورتال منتظر است: از آنجا آن را به Apple Wallet یا Google Wallet اضافه کنید.', closed: 'در این نشانی صفحه عضویتی وجود ندارد.', linkInvalid: 'این پیوند عضویت معتبر نیست. از شرکت خود پیوند تازه‌ای بخواهید.',
    already: 'شما از قبل عضو هستید: به‌جای آن وارد پورتال شوید.', pending: 'درخواستی با این ایمیل یا تلفن از قبل در انتظار تأیید است.', challenge: 'بررسی ضدهرزنامه موفق نبود. لطفاً فرم را دوباره بفرستید.', used: 'این فرم قبلاً فرستاده شده است. برای ثبت‌نام شخص دیگر صفحه را دوباره بارگیری کنید.', tooMany: 'تلاش‌های زیادی از این شبکه انجام شده است. لطفاً یک دقیقه صبر کنید.', again: 'ثبت‌نام شخص دیگر',
    f_name: 'نام خود را بنویسید.', f_email: 'یک نشانی ایمیل معتبر بنویسید.', f_phone: 'یک شماره همراه معتبر بنویسید (اگر خارجی است با کد کشور).', f_role: 'نقش خود را انتخاب کنید.', f_companyCode: 'هیچ شرکتی این کد را ندارد. آن را روی فاکتور بررسی کنید.', f_consent: 'برای موافقت، کادر را علامت بزنید.', f_contact: 'یک ایمیل یا شماره تلفن بنویسید.',
  },
};

export type JoinLocale = keyof typeof JOIN_UI;
export const JOIN_LANGUAGES: readonly (readonly [JoinLocale, string])[] = [['en', 'English'], ['fr', 'Français'], ['fa', 'فارسی'], ['uk', 'Українська'], ['hi', 'हिन्दी'], ['tl', 'Tagalog']];
const isJoinLocale = (s: string): s is JoinLocale => s in JOIN_UI;

/** `?lang`, else the browser's first language the page knows, else the program's, else English. */
export function joinLocale(lang: string | undefined, acceptLanguage: string | undefined, programDefault?: string): JoinLocale {
  const base = (s: string | undefined) => (s ?? '').split('-')[0].trim().toLowerCase();
  if (lang && isJoinLocale(base(lang))) return base(lang) as JoinLocale;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const b = base(part.split(';')[0]);
    if (isJoinLocale(b)) return b;
  }
  const p = base(programDefault);
  return isJoinLocale(p) ? p : 'en';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_m, k: string) => v[k] ?? '');

const STYLE =
  'body{font:17px/1.45 system-ui,sans-serif;margin:0;padding:16px;max-width:520px;margin-inline:auto;color:#1b1b1f;background:#fff}h1{font-size:1.4rem;margin:8px 0}' +
  'label{display:block;font-weight:600;margin:16px 0 6px}.hint{display:block;font-weight:400;font-size:.85rem;color:#4a4a55;margin-top:2px}' +
  'input[type=text],input[type=email],input[type=tel],select{width:100%;box-sizing:border-box;font:inherit;min-height:48px;padding:10px 12px;border:1px solid #767680;border-radius:8px;background:#fff}' +
  '[aria-invalid=true]{border-color:#b00020;border-width:2px}.check{display:flex;gap:12px;align-items:flex-start;font-weight:400;min-height:48px}.check input{width:24px;height:24px;margin:2px 0 0;flex:none}' +
  'button,.button{display:block;box-sizing:border-box;width:100%;min-height:48px;margin-top:20px;padding:12px;font:inherit;font-weight:600;text-align:center;text-decoration:none;background:#1f5fbf;color:#fff;border:0;border-radius:8px}' +
  'button[disabled]{opacity:.7}.err{color:#b00020}.field-err{color:#b00020;font-size:.9rem;margin:4px 0 0}.status{min-height:1.5em;margin-top:8px}' +
  '.langs{font-size:.9rem;margin-block-end:8px}.langs a,.langs span{display:inline-block;padding:12px 6px;min-height:24px}.secondary{background:#fff;color:#1f5fbf;border:1px solid #1f5fbf}';

function languageMenu(locale: JoinLocale, query: string): string {
  const links = JOIN_LANGUAGES.map(([code, name]) =>
    code === locale ? `<span lang="${code}" aria-current="true">${esc(name)}</span>` : `<a href="?${esc(new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(query)), lang: code }).toString())}" lang="${code}" hreflang="${code}">${esc(name)}</a>`,
  );
  return `<nav class="langs" aria-label="Language">${links.join(' · ')}</nav>`;
}

export function joinPage(locale: JoinLocale, title: string, body: string, query = '', script = false): string {
  const dir = locale === 'fa' ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style>${script ? '<script src="/api/v1/j/pow.js" defer></script>' : ''}</head><body>${languageMenu(locale, query)}<main>${body}</main></body></html>`;
}

export type FormState = {
  programName: string;
  accountName: string | null;
  accountToken?: string;
  roles: { code: string; name: string }[];
  challenge: { challenge: string; difficulty: number };
  values?: Record<string, string>;
  /** Field → true for each bad field; `message`: a problem for the whole form. */
  bad?: Set<string>;
  message?: string;
};

const FIELD_TEXT: Record<string, keyof Texts> = { name: 'f_name', email: 'f_email', phone: 'f_phone', role: 'f_role', companyCode: 'f_companyCode', consent: 'f_consent', contact: 'f_contact' };

export function joinForm(locale: JoinLocale, s: FormState, query: string): string {
  const t = JOIN_UI[locale];
  const v = s.values ?? {};
  const bad = s.bad ?? new Set<string>();
  const err = (f: string) => (bad.has(f) ? `<p class="field-err" id="${f}-err">${esc(t[FIELD_TEXT[f]])}</p>` : '');
  const inv = (f: string) => (bad.has(f) ? ` aria-invalid="true" aria-describedby="${f}-err"` : '');
  const text = (f: string, label: string, type: string, auto: string, extra = '', hint = '') =>
    `<label for="${f}">${esc(label)}${hint ? `<span class="hint" id="${f}-hint">${esc(hint)}</span>` : ''}</label><input id="${f}" name="${f}" type="${type}" autocomplete="${auto}" value="${esc(v[f] ?? '')}" maxlength="200"${extra}${inv(f)}>${err(f)}`;
  const problems = [...bad].filter((f) => FIELD_TEXT[f]).map((f) => `<li>${esc(t[FIELD_TEXT[f]])}</li>`);
  const summary = s.message || problems.length ? `<div class="err" role="alert" id="problems">${s.message ? `<p>${esc(s.message)}</p>` : ''}${problems.length ? `<p>${esc(t.fix)}</p><ul>${problems.join('')}</ul>` : ''}</div>` : '';
  const roles = s.roles.map((r) => `<option value="${esc(r.code)}"${v.role === r.code ? ' selected' : ''}>${esc(r.name)}</option>`).join('');
  const company = s.accountToken
    ? `<input type="hidden" name="a" value="${esc(s.accountToken)}">`
    : text('companyCode', t.company, 'text', 'organization', ' required autocapitalize="characters"', t.companyHint);
  return joinPage(
    locale,
    fill(t.title, { program: s.programName }),
    `<h1>${esc(fill(t.title, { program: s.programName }))}</h1>${s.accountName ? `<p><strong>${esc(fill(t.forCompany, { company: s.accountName }))}</strong></p>` : ''}<p>${esc(t.intro)}</p>${summary}` +
      `<form method="post" id="join" novalidate data-difficulty="${s.challenge.difficulty}" data-working="${esc(t.working)}">` +
      `<input type="hidden" name="challenge" value="${esc(s.challenge.challenge)}"><input type="hidden" name="nonce" value=""><input type="hidden" name="locale" value="${locale}">` +
      text('name', t.name, 'text', 'name', ' required') +
      `<p class="hint" id="contact-hint">${esc(t.contactHint)}</p>${err('contact')}` +
      text('email', t.email, 'email', 'email', ' inputmode="email" aria-describedby="contact-hint"') +
      text('phone', t.phone, 'tel', 'tel', ' inputmode="tel" aria-describedby="contact-hint"') +
      `<label for="role">${esc(t.role)}</label><select id="role" name="role" required${inv('role')}><option value=""></option>${roles}</select>${err('role')}` +
      company +
      `<label class="check"><input type="checkbox" name="consent" value="yes" required${v.consent === 'yes' ? ' checked' : ''}${inv('consent')}><span>${esc(t.consent)}</span></label>${err('consent')}` +
      `<label class="check"><input type="checkbox" name="marketing" value="yes"${v.marketing === 'yes' ? ' checked' : ''}><span>${esc(t.marketing)}</span></label>` +
      `<button type="submit">${esc(t.send)}</button><p class="status" role="status" aria-live="polite"></p></form>`,
    query,
    true,
  );
}

export function joinDone(locale: JoinLocale, programName: string, r: { status: 'pending' | 'approved' | 'rejected'; portalUrl: string; card: boolean }, againHref: string): string {
  const t = JOIN_UI[locale];
  const approved = r.status === 'approved';
  const title = approved ? t.approvedTitle : t.pendingTitle;
  return joinPage(
    locale,
    `${title} — ${programName}`,
    `<h1 data-join="${r.status}">${esc(title)}</h1><p>${esc(approved ? t.approvedBody : t.pendingBody)}</p>${approved && r.card ? `<p data-card="yes">${esc(t.card)}</p>` : ''}` +
      `<a class="button" href="${esc(r.portalUrl)}">${esc(t.signIn)}</a><a class="button secondary" href="${esc(againHref)}">${esc(t.again)}</a>`,
  );
}

export function joinProblemPage(locale: JoinLocale, code: string): string {
  const t = JOIN_UI[locale];
  const text = code === 'JOIN_LINK_INVALID' ? t.linkInvalid : t.closed;
  return joinPage(locale, text, `<h1 data-error="${esc(code)}">${esc(text)}</h1>`);
}

/** What a whole-form problem code says to the person. */
export function joinMessage(locale: JoinLocale, code: string): string | undefined {
  const t = JOIN_UI[locale];
  return ({ ALREADY_MEMBER: t.already, REQUEST_PENDING: t.pending, CHALLENGE_INVALID: t.challenge, CHALLENGE_USED: t.used, RATE_LIMITED: t.tooMany, JOIN_LINK_INVALID: t.linkInvalid } as Record<string, string>)[code];
}

/**
 * The page's one script: on submit, finds the nonce with SHA-256 (crypto.subtle), then sends the
 * form. Batches of digests keep the page responsive; the button is disabled while it works.
 * Browsers give crypto.subtle only to secure origins (HTTPS, localhost): a server reached over
 * plain HTTP on a LAN gets the small SHA-256 below instead, slower but the same answer.
 */
export const POW_SCRIPT = `(function(){
var f=document.getElementById('join');if(!f)return;
var st=f.querySelector('.status'),btn=f.querySelector('button');
function zeros(b){var n=0;for(var i=0;i<b.length;i++){if(b[i]===0){n+=8;continue}var x=b[i];while(!(x&128)){n++;x<<=1}return n}return n}
var K=[];(function(){var p=[],c=2;while(p.length<64){var q=true;for(var j=0;j<p.length&&p[j]*p[j]<=c;j++)if(c%p[j]===0){q=false;break}if(q){p.push(c);K.push((Math.pow(c,1/3)%1)*4294967296|0)}c++}})();
function sha(bytes){var H=[1779033703,-1150833019,1013904242,-1521486534,1359893119,-1694144372,528734635,1541459225],l=bytes.length,m=new Uint8Array(((l+9+63)>>6)<<6);m.set(bytes);m[l]=128;var bits=l*8;m[m.length-1]=bits&255;m[m.length-2]=(bits>>>8)&255;m[m.length-3]=(bits>>>16)&255;m[m.length-4]=(bits>>>24)&255;
var W=new Int32Array(64);for(var o=0;o<m.length;o+=64){for(var t=0;t<16;t++)W[t]=(m[o+4*t]<<24)|(m[o+4*t+1]<<16)|(m[o+4*t+2]<<8)|m[o+4*t+3];
for(t=16;t<64;t++){var x=W[t-15],y=W[t-2];W[t]=(((x>>>7|x<<25)^(x>>>18|x<<14)^(x>>>3))+W[t-7]+((y>>>17|y<<15)^(y>>>19|y<<13)^(y>>>10))+W[t-16])|0}
var a=H[0],b=H[1],c=H[2],d=H[3],e=H[4],g=H[5],h=H[6],k=H[7];for(t=0;t<64;t++){var T1=(k+((e>>>6|e<<26)^(e>>>11|e<<21)^(e>>>25|e<<7))+((e&g)^(~e&h))+K[t]+W[t])|0,T2=(((a>>>2|a<<30)^(a>>>13|a<<19)^(a>>>22|a<<10))+((a&b)^(a&c)^(b&c)))|0;k=h;h=g;g=e;e=(d+T1)|0;d=c;c=b;b=a;a=(T1+T2)|0}
H[0]=(H[0]+a)|0;H[1]=(H[1]+b)|0;H[2]=(H[2]+c)|0;H[3]=(H[3]+d)|0;H[4]=(H[4]+e)|0;H[5]=(H[5]+g)|0;H[6]=(H[6]+h)|0;H[7]=(H[7]+k)|0}
var out=new Uint8Array(32);for(var i=0;i<8;i++){out[4*i]=H[i]>>>24;out[4*i+1]=(H[i]>>>16)&255;out[4*i+2]=(H[i]>>>8)&255;out[4*i+3]=H[i]&255}return out}
f.addEventListener('submit',function(e){
if(f.nonce.value)return;e.preventDefault();
btn.disabled=true;st.textContent=f.getAttribute('data-working');
var ch=f.challenge.value,d=+f.getAttribute('data-difficulty'),enc=new TextEncoder(),n=0;
function done(v){f.nonce.value=String(v);f.submit()}
function slow(){for(var i=0;i<2000;i++,n++){if(zeros(sha(enc.encode(ch+':'+n)))>=d)return done(n)}setTimeout(slow,0)}
if(!window.crypto||!crypto.subtle)return slow();
function batch(){var ps=[];for(var i=0;i<256;i++){ps.push(crypto.subtle.digest('SHA-256',enc.encode(ch+':'+(n+i))))}
Promise.all(ps).then(function(hs){for(var i=0;i<hs.length;i++){if(zeros(new Uint8Array(hs[i]))>=d)return done(n+i)}n+=256;batch()})}
batch()});})();`;

