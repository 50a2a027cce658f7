import type { SystemMessage, Trigger } from '../../../contracts/messaging.js';

/**
 * The messages Fealty ships for every trigger, in every locale it ships: one subject and one
 * body per trigger and locale, used on every medium unless the program writes its own.
 * Bodies are plain text (e-mail gets an HTML version with the links made clickable).
 */
export type DefaultTemplate = { subject: string; body: string };

export const DEFAULT_LOCALES = ['en', 'fr', 'fa', 'uk', 'hi', 'tl'] as const;

type Texts = Record<(typeof DEFAULT_LOCALES)[number], DefaultTemplate>;

export const DEFAULT_TEMPLATES: Record<Trigger | SystemMessage, Texts> = {
  points_earned: {
    en: { subject: 'You earned {{ award.amount }} {{ award.currency }}', body: 'Hello {{ member.name }},\n{% if award.pending %}{{ award.amount }} {{ award.currency }} are on their way: available on {{ award.availableAt | date: "%Y-%m-%d" }}.{% else %}{{ award.amount }} {{ award.currency }} were added to your balance.{% endif %}{% if tip %}\nDid you know? {{ tip }}{% endif %}\n{{ links.portal }}' },
    fr: { subject: 'Vous avez gagné {{ award.amount }} {{ award.currency }}', body: 'Bonjour {{ member.name }},\n{% if award.pending %}{{ award.amount }} {{ award.currency }} arrivent : disponibles le {{ award.availableAt | date: "%d/%m/%Y" }}.{% else %}{{ award.amount }} {{ award.currency }} ont été ajoutés à votre solde.{% endif %}{% if tip %}\nLe saviez-vous ? {{ tip }}{% endif %}\n{{ links.portal }}' },
    fa: { subject: '{{ award.amount }} {{ award.currency }} به دست آوردید', body: 'سلام {{ member.name }}،\n{% if award.pending %}{{ award.amount }} {{ award.currency }} در راه است و از {{ award.availableAt | date: "%Y-%m-%d" }} در دسترس خواهد بود.{% else %}{{ award.amount }} {{ award.currency }} به موجودی شما افزوده شد.{% endif %}{% if tip %}\nآیا می‌دانستید؟ {{ tip }}{% endif %}\n{{ links.portal }}' },
    uk: { subject: 'Ви отримали {{ award.amount }} {{ award.currency }}', body: 'Вітаємо, {{ member.name }}!\n{% if award.pending %}{{ award.amount }} {{ award.currency }} вже в дорозі: будуть доступні {{ award.availableAt | date: "%d.%m.%Y" }}.{% else %}{{ award.amount }} {{ award.currency }} додано до вашого балансу.{% endif %}{% if tip %}\nЧи знаєте ви? {{ tip }}{% endif %}\n{{ links.portal }}' },
    hi: { subject: 'आपने {{ award.amount }} {{ award.currency }} कमाए', body: 'नमस्ते {{ member.name }},\n{% if award.pending %}{{ award.amount }} {{ award.currency }} {{ award.availableAt | date: "%d-%m-%Y" }} को उपलब्ध होंगे।{% else %}{{ award.amount }} {{ award.currency }} आपके बैलेंस में जोड़ दिए गए।{% endif %}{% if tip %}\nक्या आप जानते हैं? {{ tip }}{% endif %}\n{{ links.portal }}' },
    tl: { subject: 'Nakakuha ka ng {{ award.amount }} {{ award.currency }}', body: 'Kumusta {{ member.name }},\n{% if award.pending %}Darating ang {{ award.amount }} {{ award.currency }}: magagamit sa {{ award.availableAt | date: "%Y-%m-%d" }}.{% else %}Naidagdag ang {{ award.amount }} {{ award.currency }} sa iyong balanse.{% endif %}{% if tip %}\nAlam mo ba? {{ tip }}{% endif %}\n{{ links.portal }}' },
  },
  points_matured: {
    en: { subject: '{{ award.amount }} {{ award.currency }} are now available', body: 'Hello {{ member.name }},\nyour pending {{ award.amount }} {{ award.currency }} are now available to spend.\n{{ links.portal }}' },
    fr: { subject: '{{ award.amount }} {{ award.currency }} sont disponibles', body: 'Bonjour {{ member.name }},\nvos {{ award.amount }} {{ award.currency }} en attente sont maintenant disponibles.\n{{ links.portal }}' },
    fa: { subject: '{{ award.amount }} {{ award.currency }} اکنون در دسترس است', body: 'سلام {{ member.name }}،\n{{ award.amount }} {{ award.currency }} در انتظار شما اکنون قابل استفاده است.\n{{ links.portal }}' },
    uk: { subject: '{{ award.amount }} {{ award.currency }} вже доступні', body: 'Вітаємо, {{ member.name }}!\nВаші {{ award.amount }} {{ award.currency }} тепер можна витратити.\n{{ links.portal }}' },
    hi: { subject: '{{ award.amount }} {{ award.currency }} अब उपलब्ध हैं', body: 'नमस्ते {{ member.name }},\nआपके {{ award.amount }} {{ award.currency }} अब खर्च करने के लिए उपलब्ध हैं।\n{{ links.portal }}' },
    tl: { subject: 'Magagamit na ang {{ award.amount }} {{ award.currency }}', body: 'Kumusta {{ member.name }},\nmagagamit mo na ang iyong {{ award.amount }} {{ award.currency }}.\n{{ links.portal }}' },
  },
  points_expired: {
    en: { subject: '{{ award.amount }} {{ award.currency }} expired', body: 'Hello {{ member.name }},\n{{ award.amount }} {{ award.currency }} expired from your balance.\n{{ links.portal }}' },
    fr: { subject: '{{ award.amount }} {{ award.currency }} ont expiré', body: 'Bonjour {{ member.name }},\n{{ award.amount }} {{ award.currency }} de votre solde ont expiré.\n{{ links.portal }}' },
    fa: { subject: '{{ award.amount }} {{ award.currency }} منقضی شد', body: 'سلام {{ member.name }}،\n{{ award.amount }} {{ award.currency }} از موجودی شما منقضی شد.\n{{ links.portal }}' },
    uk: { subject: '{{ award.amount }} {{ award.currency }} згоріли', body: 'Вітаємо, {{ member.name }}!\nТермін дії {{ award.amount }} {{ award.currency }} на вашому балансі закінчився.\n{{ links.portal }}' },
    hi: { subject: '{{ award.amount }} {{ award.currency }} की अवधि समाप्त', body: 'नमस्ते {{ member.name }},\nआपके बैलेंस से {{ award.amount }} {{ award.currency }} की अवधि समाप्त हो गई।\n{{ links.portal }}' },
    tl: { subject: 'Nag-expire ang {{ award.amount }} {{ award.currency }}', body: 'Kumusta {{ member.name }},\nnag-expire ang {{ award.amount }} {{ award.currency }} sa iyong balanse.\n{{ links.portal }}' },
  },
  points_expiring: {
    en: { subject: '{{ expiring.amount }} {{ expiring.currency }} expire in {{ expiring.days }} days', body: 'Hello {{ member.name }},\n{{ expiring.amount }} {{ expiring.currency }} expire on {{ expiring.expiresAt | date: "%Y-%m-%d" }}. Spend them before then.\n{{ links.portal }}' },
    fr: { subject: '{{ expiring.amount }} {{ expiring.currency }} expirent dans {{ expiring.days }} jours', body: 'Bonjour {{ member.name }},\n{{ expiring.amount }} {{ expiring.currency }} expirent le {{ expiring.expiresAt | date: "%d/%m/%Y" }}. Utilisez-les avant.\n{{ links.portal }}' },
    fa: { subject: '{{ expiring.amount }} {{ expiring.currency }} تا {{ expiring.days }} روز دیگر منقضی می‌شود', body: 'سلام {{ member.name }}،\n{{ expiring.amount }} {{ expiring.currency }} در {{ expiring.expiresAt | date: "%Y-%m-%d" }} منقضی می‌شود. پیش از آن از آن استفاده کنید.\n{{ links.portal }}' },
    uk: { subject: '{{ expiring.amount }} {{ expiring.currency }} згорять за {{ expiring.days }} дн.', body: 'Вітаємо, {{ member.name }}!\n{{ expiring.amount }} {{ expiring.currency }} згорять {{ expiring.expiresAt | date: "%d.%m.%Y" }}. Використайте їх раніше.\n{{ links.portal }}' },
    hi: { subject: '{{ expiring.amount }} {{ expiring.currency }} {{ expiring.days }} दिनों में समाप्त होंगे', body: 'नमस्ते {{ member.name }},\n{{ expiring.amount }} {{ expiring.currency }} {{ expiring.expiresAt | date: "%d-%m-%Y" }} को समाप्त होंगे। उससे पहले उपयोग करें।\n{{ links.portal }}' },
    tl: { subject: 'Mag-e-expire ang {{ expiring.amount }} {{ expiring.currency }} sa loob ng {{ expiring.days }} araw', body: 'Kumusta {{ member.name }},\nmag-e-expire ang {{ expiring.amount }} {{ expiring.currency }} sa {{ expiring.expiresAt | date: "%Y-%m-%d" }}. Gamitin bago noon.\n{{ links.portal }}' },
  },
  tier_changed: {
    en: { subject: '{% if tier.up %}Welcome to {{ tier.to }}{% else %}Your tier is now {{ tier.to | default: "none" }}{% endif %}', body: 'Hello {{ member.name }},\n{{ account.name }} {% if tier.up %}moved up to {{ tier.to }}.{% else %}is now in {{ tier.to | default: "no tier" }} (was {{ tier.from | default: "none" }}).{% endif %}\n{{ links.portal }}' },
    fr: { subject: '{% if tier.up %}Bienvenue au niveau {{ tier.to }}{% else %}Votre niveau est maintenant {{ tier.to | default: "aucun" }}{% endif %}', body: 'Bonjour {{ member.name }},\n{{ account.name }} {% if tier.up %}passe au niveau {{ tier.to }}.{% else %}est maintenant au niveau {{ tier.to | default: "aucun" }} (avant : {{ tier.from | default: "aucun" }}).{% endif %}\n{{ links.portal }}' },
    fa: { subject: '{% if tier.up %}به سطح {{ tier.to }} خوش آمدید{% else %}سطح شما اکنون {{ tier.to | default: "هیچ" }} است{% endif %}', body: 'سلام {{ member.name }}،\n{{ account.name }} {% if tier.up %}به سطح {{ tier.to }} ارتقا یافت.{% else %}اکنون در سطح {{ tier.to | default: "هیچ" }} است (پیشتر {{ tier.from | default: "هیچ" }}).{% endif %}\n{{ links.portal }}' },
    uk: { subject: '{% if tier.up %}Вітаємо на рівні {{ tier.to }}{% else %}Ваш рівень тепер {{ tier.to | default: "без рівня" }}{% endif %}', body: 'Вітаємо, {{ member.name }}!\n{{ account.name }} {% if tier.up %}піднявся до рівня {{ tier.to }}.{% else %}тепер на рівні {{ tier.to | default: "без рівня" }} (був {{ tier.from | default: "без рівня" }}).{% endif %}\n{{ links.portal }}' },
    hi: { subject: '{% if tier.up %}{{ tier.to }} में आपका स्वागत है{% else %}आपका स्तर अब {{ tier.to | default: "कोई नहीं" }} है{% endif %}', body: 'नमस्ते {{ member.name }},\n{{ account.name }} {% if tier.up %}{{ tier.to }} स्तर पर पहुँच गया।{% else %}अब {{ tier.to | default: "कोई नहीं" }} स्तर पर है (पहले {{ tier.from | default: "कोई नहीं" }})।{% endif %}\n{{ links.portal }}' },
    tl: { subject: '{% if tier.up %}Maligayang pagdating sa {{ tier.to }}{% else %}Ang iyong tier ay {{ tier.to | default: "wala" }} na{% endif %}', body: 'Kumusta {{ member.name }},\n{{ account.name }} {% if tier.up %}ay umakyat sa {{ tier.to }}.{% else %}ay nasa {{ tier.to | default: "walang tier" }} na (dati {{ tier.from | default: "wala" }}).{% endif %}\n{{ links.portal }}' },
  },
  redemption_status: {
    en: { subject: 'Your reward request is {{ redemption.to }}', body: 'Hello {{ member.name }},\nyour request for {{ redemption.qty }} × {{ redemption.rewardName }} is now {{ redemption.to }}.{% if redemption.reason %} ({{ redemption.reason }}){% endif %}\n{{ links.portal }}' },
    fr: { subject: 'Votre demande de récompense : {{ redemption.to }}', body: 'Bonjour {{ member.name }},\nvotre demande de {{ redemption.qty }} × {{ redemption.rewardName }} est maintenant : {{ redemption.to }}.{% if redemption.reason %} ({{ redemption.reason }}){% endif %}\n{{ links.portal }}' },
    fa: { subject: 'وضعیت درخواست جایزه شما: {{ redemption.to }}', body: 'سلام {{ member.name }}،\nوضعیت درخواست {{ redemption.qty }} × {{ redemption.rewardName }} اکنون {{ redemption.to }} است.{% if redemption.reason %} ({{ redemption.reason }}){% endif %}\n{{ links.portal }}' },
    uk: { subject: 'Ваш запит на винагороду: {{ redemption.to }}', body: 'Вітаємо, {{ member.name }}!\nСтатус запиту {{ redemption.qty }} × {{ redemption.rewardName }}: {{ redemption.to }}.{% if redemption.reason %} ({{ redemption.reason }}){% endif %}\n{{ links.portal }}' },
    hi: { subject: 'आपके पुरस्कार अनुरोध की स्थिति: {{ redemption.to }}', body: 'नमस्ते {{ member.name }},\n{{ redemption.qty }} × {{ redemption.rewardName }} के आपके अनुरोध की स्थिति अब {{ redemption.to }} है।{% if redemption.reason %} ({{ redemption.reason }}){% endif %}\n{{ links.portal }}' },
    tl: { subject: 'Ang iyong reward request ay {{ redemption.to }}', body: 'Kumusta {{ member.name }},\nang iyong request para sa {{ redemption.qty }} × {{ redemption.rewardName }} ay {{ redemption.to }} na.{% if redemption.reason %} ({{ redemption.reason }}){% endif %}\n{{ links.portal }}' },
  },
  // Volume rebates (#14)
  rebate_settled: {
    en: { subject: 'Your {{ rebate.period }} rebate: {{ rebate.amountText }}', body: 'Hello {{ member.name }},\n{{ account.name }} earned its {{ rebate.name }} rebate for {{ rebate.period }}{% if rebate.final == false %} (interim){% endif %}: {{ rebate.amountText }} were credited as store credit.\n{{ links.portal }}' },
    fr: { subject: 'Votre remise {{ rebate.period }} : {{ rebate.amountText }}', body: 'Bonjour {{ member.name }},\n{{ account.name }} a obtenu sa remise {{ rebate.name }} pour {{ rebate.period }}{% if rebate.final == false %} (acompte){% endif %} : {{ rebate.amountText }} crédités en avoir.\n{{ links.portal }}' },
    fa: { subject: 'تخفیف حجمی {{ rebate.period }}: {{ rebate.amountText }}', body: 'سلام {{ member.name }}،\n{{ account.name }} تخفیف {{ rebate.name }} دوره {{ rebate.period }} را دریافت کرد: {{ rebate.amountText }} به اعتبار خرید افزوده شد.\n{{ links.portal }}' },
    uk: { subject: 'Ваша знижка за {{ rebate.period }}: {{ rebate.amountText }}', body: 'Вітаємо, {{ member.name }}!\n{{ account.name }} отримала знижку {{ rebate.name }} за {{ rebate.period }}: {{ rebate.amountText }} зараховано на баланс.\n{{ links.portal }}' },
    hi: { subject: 'आपकी {{ rebate.period }} छूट: {{ rebate.amountText }}', body: 'नमस्ते {{ member.name }},\n{{ account.name }} को {{ rebate.period }} के लिए {{ rebate.name }} छूट मिली: {{ rebate.amountText }} स्टोर क्रेडिट में जोड़े गए।\n{{ links.portal }}' },
    tl: { subject: 'Ang iyong rebate para sa {{ rebate.period }}: {{ rebate.amountText }}', body: 'Kumusta {{ member.name }},\nnakuha ng {{ account.name }} ang {{ rebate.name }} rebate para sa {{ rebate.period }}: {{ rebate.amountText }} ang naidagdag bilang store credit.\n{{ links.portal }}' },
  },
  sign_in_code: {
    en: { subject: '{{ code }} is your {{ program.name }} sign-in code', body: 'Your {{ program.name }} sign-in code is {{ code }}. It expires in {{ minutes }} minutes.{% if programs.size > 1 %} It opens: {{ programs | join: ", " }}.{% endif %} If you did not ask for it, ignore this message.' },
    fr: { subject: '{{ code }} est votre code de connexion {{ program.name }}', body: 'Votre code de connexion {{ program.name }} est {{ code }}. Il expire dans {{ minutes }} minutes.{% if programs.size > 1 %} Il ouvre : {{ programs | join: ", " }}.{% endif %} Si vous ne l\'avez pas demandé, ignorez ce message.' },
    fa: { subject: '{{ code }} کد ورود شما به {{ program.name }} است', body: 'کد ورود شما به {{ program.name }}: {{ code }}. این کد تا {{ minutes }} دقیقه معتبر است.{% if programs.size > 1 %} این کد باز می‌کند: {{ programs | join: "، " }}.{% endif %} اگر آن را درخواست نکرده‌اید، این پیام را نادیده بگیرید.' },
    uk: { subject: '{{ code }} — ваш код входу до {{ program.name }}', body: 'Ваш код входу до {{ program.name }}: {{ code }}. Він дійсний {{ minutes }} хв.{% if programs.size > 1 %} Він відкриває: {{ programs | join: ", " }}.{% endif %} Якщо ви його не запитували, проігноруйте це повідомлення.' },
    hi: { subject: '{{ code }} आपका {{ program.name }} साइन-इन कोड है', body: 'आपका {{ program.name }} साइन-इन कोड {{ code }} है। यह {{ minutes }} मिनट में समाप्त हो जाएगा।{% if programs.size > 1 %} यह खोलता है: {{ programs | join: ", " }}।{% endif %} यदि आपने इसे नहीं माँगा, तो इस संदेश को अनदेखा करें।' },
    tl: { subject: '{{ code }} ang iyong sign-in code sa {{ program.name }}', body: 'Ang iyong sign-in code sa {{ program.name }} ay {{ code }}. Mag-e-expire ito sa loob ng {{ minutes }} minuto.{% if programs.size > 1 %} Binubuksan nito: {{ programs | join: ", " }}.{% endif %} Kung hindi mo ito hiniling, huwag pansinin ang mensaheng ito.' },
  },
};
