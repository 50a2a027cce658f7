/**
 * The fixed cast of the demo: the supplier's program, its currencies and roles, the partner
 * companies and the pools the people are drawn from. Companies are hand-written so the demo
 * reads like a real channel (a distributor with branches, dealers, installers, building-material
 * resellers, end customers) across the countries the product is built for; the seeded generator
 * in demo-data.ts adds the staff and the history.
 */

export const DEMO_PROGRAM = {
  name: 'AquaPure Water Systems — Partner Club',
  timeZone: 'Europe/Paris',
  defaultLocale: 'fr-FR',
  accountShare: 80,
} as const;

export const DEMO_CURRENCIES = [
  { code: 'points', name: 'AquaPoints', kind: 'points', expiry: { months: 24 } },
  { code: 'eur-credit', name: 'Store credit (EUR cashback)', kind: 'money', moneyCurrency: 'EUR' },
  { code: 'stamps', name: 'Commissioning stamps', kind: 'stamps' },
] as const;

export const DEMO_ROLES = [
  { code: 'owner', name: 'Owner / director' },
  { code: 'purchasing', name: 'Purchasing manager' },
  { code: 'sales', name: 'Sales representative' },
  { code: 'engineer', name: 'Engineer' },
  { code: 'foreman', name: 'Installer / site foreman' },
  { code: 'accountant', name: 'Accountant' },
] as const;

export type RoleCode = (typeof DEMO_ROLES)[number]['code'];
export type AccountType = 'distributor' | 'dealer' | 'installer' | 'reseller' | 'end_customer';
export type Segment = 'residential' | 'commercial' | 'industrial';
export type Country = 'FR' | 'DE' | 'CH' | 'BE' | 'UA' | 'IN' | 'PH';
/** The name pool a company's staff come from. */
export type NamePool = 'fr' | 'de' | 'nl' | 'uk' | 'in' | 'ph';

export type CompanySpec = {
  /** A short handle so branches can name their parent. */
  key: string;
  name: string;
  type: AccountType;
  segment: Segment;
  region: string;
  country: Country;
  pool: NamePool;
  locale: string;
  /** Reserved `.example` domains: the demo must never mail or text a real company. */
  domain: string;
  parent?: string;
  /** The owner's name where the company is named after them. */
  owner?: string;
  staff: readonly [number, number];
  /** The partner opted out of staff incentives (its own pay system forbids them). */
  employeeIncentives?: false;
};

export const COMPANIES: readonly CompanySpec[] = [
  // A national distributor with three regional branches.
  { key: 'hydrodistrib', name: 'HydroDistrib France SAS', type: 'distributor', segment: 'commercial', region: 'FR-IDF', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'hydrodistrib.fr.example', staff: [4, 6] },
  { key: 'hydrodistrib-lyon', name: 'HydroDistrib — agence Lyon', type: 'distributor', segment: 'commercial', region: 'FR-ARA', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'hydrodistrib.fr.example', parent: 'hydrodistrib', staff: [2, 3] },
  { key: 'hydrodistrib-lille', name: 'HydroDistrib — agence Lille', type: 'distributor', segment: 'residential', region: 'FR-HDF', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'hydrodistrib.fr.example', parent: 'hydrodistrib', staff: [1, 3] },
  { key: 'hydrodistrib-bordeaux', name: 'HydroDistrib — agence Bordeaux', type: 'distributor', segment: 'residential', region: 'FR-NAQ', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'hydrodistrib.fr.example', parent: 'hydrodistrib', staff: [1, 2] },
  // A Bavarian wholesaler with two branches.
  { key: 'huber', name: 'Wassertechnik Huber GmbH', type: 'distributor', segment: 'industrial', region: 'DE-BY', country: 'DE', pool: 'de', locale: 'de-DE', domain: 'huber-wassertechnik.de.example', owner: 'Matthias Huber', staff: [4, 6] },
  { key: 'huber-muc', name: 'Wassertechnik Huber — Niederlassung München', type: 'distributor', segment: 'commercial', region: 'DE-BY', country: 'DE', pool: 'de', locale: 'de-DE', domain: 'huber-wassertechnik.de.example', parent: 'huber', staff: [2, 3] },
  { key: 'huber-nue', name: 'Wassertechnik Huber — Niederlassung Nürnberg', type: 'distributor', segment: 'residential', region: 'DE-BY', country: 'DE', pool: 'de', locale: 'de-DE', domain: 'huber-wassertechnik.de.example', parent: 'huber', staff: [1, 2] },
  // A Ukrainian distributor with two branches.
  { key: 'chysta-voda', name: 'ТОВ «Чиста Вода Дистрибуція»', type: 'distributor', segment: 'commercial', region: 'UA-30', country: 'UA', pool: 'uk', locale: 'uk-UA', domain: 'chystavoda.ua.example', staff: [3, 5] },
  { key: 'chysta-voda-lviv', name: 'Чиста Вода — філія Львів', type: 'distributor', segment: 'residential', region: 'UA-46', country: 'UA', pool: 'uk', locale: 'uk-UA', domain: 'chystavoda.ua.example', parent: 'chysta-voda', staff: [1, 3] },
  { key: 'chysta-voda-odesa', name: 'Чиста Вода — філія Одеса', type: 'distributor', segment: 'commercial', region: 'UA-51', country: 'UA', pool: 'uk', locale: 'uk-UA', domain: 'chystavoda.ua.example', parent: 'chysta-voda', staff: [1, 2] },

  { key: 'aqua-confort', name: 'Aqua Confort SARL', type: 'dealer', segment: 'residential', region: 'FR-ARA', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'aquaconfort.fr.example', staff: [2, 4] },
  { key: 'eau-pure', name: 'Eau Pure Services', type: 'dealer', segment: 'residential', region: 'FR-IDF', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'eaupure-services.fr.example', staff: [2, 5] },
  { key: 'eaux-filtres', name: 'Eaux & Filtres de Bretagne', type: 'dealer', segment: 'residential', region: 'FR-BRE', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'eauxfiltres.fr.example', staff: [2, 3] },
  { key: 'wasserpro', name: 'Wasserpro AG', type: 'dealer', segment: 'commercial', region: 'CH', country: 'CH', pool: 'de', locale: 'de-CH', domain: 'wasserpro.ch.example', staff: [3, 5] },
  { key: 'hydro-leman', name: 'Hydro-Léman SA', type: 'dealer', segment: 'residential', region: 'CH', country: 'CH', pool: 'fr', locale: 'fr-CH', domain: 'hydroleman.ch.example', staff: [2, 4] },
  { key: 'aqua-vlaanderen', name: 'Aqua Vlaanderen BV', type: 'dealer', segment: 'residential', region: 'BE', country: 'BE', pool: 'nl', locale: 'nl-BE', domain: 'aquavlaanderen.be.example', staff: [2, 4] },
  { key: 'brandl', name: 'Sanitärhaus Brandl KG', type: 'dealer', segment: 'residential', region: 'DE-BY', country: 'DE', pool: 'de', locale: 'de-DE', domain: 'sanitaer-brandl.de.example', owner: 'Jürgen Brandl', staff: [2, 4] },
  { key: 'shree-ganesh', name: 'Shree Ganesh Aqua Solutions Pvt. Ltd.', type: 'dealer', segment: 'commercial', region: 'IN-MH', country: 'IN', pool: 'in', locale: 'en-IN', domain: 'shreeganeshaqua.in.example', staff: [3, 5] },
  { key: 'bagong-agos', name: 'Bagong Agos Water Systems Inc.', type: 'dealer', segment: 'residential', region: 'PH-00', country: 'PH', pool: 'ph', locale: 'en-PH', domain: 'bagongagos.ph.example', staff: [2, 4] },
  { key: 'krystal', name: 'Водоочисні системи «Кришталь»', type: 'dealer', segment: 'residential', region: 'UA-63', country: 'UA', pool: 'uk', locale: 'uk-UA', domain: 'kryshtal.ua.example', staff: [2, 3] },

  { key: 'dupont', name: 'Plomberie Dupont & Fils', type: 'installer', segment: 'residential', region: 'FR-IDF', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'plomberie-dupont.fr.example', owner: 'Olivier Dupont', staff: [2, 4] },
  { key: 'irat', name: 'IRAT — Installations Rhône-Alpes Thermique', type: 'installer', segment: 'commercial', region: 'FR-ARA', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'irat.fr.example', staff: [3, 5] },
  { key: 'leroy', name: 'Martin Leroy, artisan plombier', type: 'installer', segment: 'residential', region: 'FR-NAQ', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'leroy-plombier.fr.example', owner: 'Martin Leroy', staff: [1, 1] },
  { key: 'lambert', name: 'Chauffage Lambert SRL', type: 'installer', segment: 'residential', region: 'BE', country: 'BE', pool: 'fr', locale: 'fr-BE', domain: 'chauffage-lambert.be.example', owner: 'Mathieu Lambert', staff: [2, 3] },
  { key: 'tech-eau-wallonie', name: "Technique de l'Eau Wallonie SRL", type: 'installer', segment: 'commercial', region: 'BE', country: 'BE', pool: 'fr', locale: 'fr-BE', domain: 'tew.be.example', staff: [2, 4], employeeIncentives: false },
  { key: 'maier', name: 'Sanitär Maier GmbH', type: 'installer', segment: 'residential', region: 'DE-BY', country: 'DE', pool: 'de', locale: 'de-DE', domain: 'sanitaer-maier.de.example', owner: 'Stefan Maier', staff: [2, 4] },
  { key: 'oberland', name: 'Haustechnik Oberland GmbH', type: 'installer', segment: 'commercial', region: 'DE-BY', country: 'DE', pool: 'de', locale: 'de-DE', domain: 'haustechnik-oberland.de.example', staff: [3, 5] },
  { key: 'leman-plomberie', name: 'Plomberie du Léman Sàrl', type: 'installer', segment: 'residential', region: 'CH', country: 'CH', pool: 'fr', locale: 'fr-CH', domain: 'plomberie-leman.ch.example', staff: [1, 3] },
  { key: 'bondarenko', name: 'ФОП Бондаренко — монтаж водоочищення', type: 'installer', segment: 'residential', region: 'UA-30', country: 'UA', pool: 'uk', locale: 'uk-UA', domain: 'bondarenko-montazh.ua.example', owner: 'Тарас Бондаренко', staff: [1, 1] },
  { key: 'jalshakti', name: 'Jalshakti Water Engineers LLP', type: 'installer', segment: 'industrial', region: 'IN-KA', country: 'IN', pool: 'in', locale: 'en-IN', domain: 'jalshakti.in.example', staff: [3, 5] },
  { key: 'malinis', name: 'Malinis na Tubig Plumbing Services', type: 'installer', segment: 'residential', region: 'PH-00', country: 'PH', pool: 'ph', locale: 'fil-PH', domain: 'malinisnatubig.ph.example', staff: [2, 4] },

  { key: 'brico-pro', name: 'Brico Maison Pro', type: 'reseller', segment: 'residential', region: 'FR-HDF', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'bricomaisonpro.fr.example', staff: [2, 4] },
  { key: 'delcourt', name: 'Matériaux Delcourt SA', type: 'reseller', segment: 'commercial', region: 'BE', country: 'BE', pool: 'fr', locale: 'fr-BE', domain: 'materiaux-delcourt.be.example', owner: 'Anne Delcourt', staff: [2, 4] },
  { key: 'bauzentrum', name: 'Bauzentrum Alpenland GmbH', type: 'reseller', segment: 'commercial', region: 'DE-BY', country: 'DE', pool: 'de', locale: 'de-DE', domain: 'bauzentrum-alpenland.de.example', staff: [3, 4] },
  { key: 'oselia', name: 'Будмаркет «Оселя»', type: 'reseller', segment: 'residential', region: 'UA-46', country: 'UA', pool: 'uk', locale: 'uk-UA', domain: 'oselia.ua.example', staff: [2, 3] },
  { key: 'aquakart', name: 'AquaKart India Pvt. Ltd.', type: 'reseller', segment: 'residential', region: 'IN-MH', country: 'IN', pool: 'in', locale: 'en-IN', domain: 'aquakart.in.example', staff: [2, 4] },
  { key: 'metro-hardware', name: 'Metro Hardware Depot Corp.', type: 'reseller', segment: 'commercial', region: 'PH-00', country: 'PH', pool: 'ph', locale: 'en-PH', domain: 'metrohardware.ph.example', staff: [2, 4] },

  { key: 'grand-tilleul', name: 'Hôtel Le Grand Tilleul', type: 'end_customer', segment: 'commercial', region: 'FR-ARA', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'grandtilleul.fr.example', staff: [2, 3] },
  { key: 'saint-roch', name: 'Clinique Saint-Roch', type: 'end_customer', segment: 'commercial', region: 'FR-IDF', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'clinique-saintroch.fr.example', staff: [2, 3] },
  { key: 'vercors', name: 'Laiterie Coopérative du Vercors', type: 'end_customer', segment: 'industrial', region: 'FR-ARA', country: 'FR', pool: 'fr', locale: 'fr-FR', domain: 'laiterie-vercors.fr.example', staff: [2, 4] },
  { key: 'kellerhof', name: 'Brauerei Kellerhof', type: 'end_customer', segment: 'industrial', region: 'DE-BY', country: 'DE', pool: 'de', locale: 'de-DE', domain: 'brauerei-kellerhof.de.example', staff: [2, 4] },
  { key: 'fromagerie-alpes', name: 'Fromagerie des Alpes SA', type: 'end_customer', segment: 'industrial', region: 'CH', country: 'CH', pool: 'fr', locale: 'fr-CH', domain: 'fromagerie-alpes.ch.example', staff: [2, 3] },
  { key: 'taj-pune', name: 'Taj Residency Hotels, Pune', type: 'end_customer', segment: 'commercial', region: 'IN-MH', country: 'IN', pool: 'in', locale: 'en-IN', domain: 'tajresidency-pune.in.example', staff: [2, 3] },
  { key: 'cebu-fresh', name: 'Cebu Fresh Foods Processing Inc.', type: 'end_customer', segment: 'industrial', region: 'PH-07', country: 'PH', pool: 'ph', locale: 'en-PH', domain: 'cebufresh.ph.example', staff: [2, 3] },
];

/** Hours between UTC and the partner's office clock (standard time is close enough for a demo). */
export const UTC_OFFSET: Record<Country, number> = { FR: 1, DE: 1, CH: 1, BE: 1, UA: 2, IN: 5.5, PH: 8 };

/** The supplier's account managers, by the regions they cover. */
export function managerFor(country: Country, region: string): string {
  if (country === 'FR') return region === 'FR-ARA' ? 'am-hugo-lefort' : 'am-claire-martin';
  if (country === 'DE' || country === 'CH') return 'am-jonas-weber';
  if (country === 'BE') return 'am-sophie-peeters';
  if (country === 'UA') return 'am-oksana-melnyk';
  if (country === 'IN') return 'am-arjun-mehta';
  return 'am-maria-santos';
}

export const NAMES: Record<NamePool, { first: readonly string[]; last: readonly string[] }> = {
  fr: {
    first: ['Camille', 'Julien', 'Sophie', 'Nicolas', 'Élodie', 'Thomas', 'Céline', 'Mathieu', 'Aurélie', 'Sébastien', 'Nathalie', 'Romain', 'Isabelle', 'Guillaume', 'Manon', 'Olivier', 'Chloé', 'Laurent', 'Amandine', 'François', 'Hélène', 'Karim', 'Inès', 'Yannick'],
    last: ['Martin', 'Bernard', 'Dubois', 'Durand', 'Lefèvre', 'Moreau', 'Girard', 'Roux', 'Fournier', 'Mercier', 'Faure', 'Blanc', 'Chevalier', 'Garnier', 'Perrin', 'Morel', 'Rousseau', 'Lambert', 'Bonnet', 'Benali', 'Nguyen', 'Le Gall'],
  },
  de: {
    first: ['Lukas', 'Anna', 'Maximilian', 'Katharina', 'Florian', 'Julia', 'Stefan', 'Sabine', 'Tobias', 'Lena', 'Andreas', 'Monika', 'Matthias', 'Franziska', 'Jürgen', 'Birgit', 'Sebastian', 'Theresa', 'Markus', 'Claudia'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hofmann', 'Schäfer', 'Huber', 'Bauer', 'Gruber', 'Wimmer', 'Steiner', 'Mayr', 'Zimmermann', 'Yılmaz', 'Kovač'],
  },
  nl: {
    first: ['Pieter', 'Lotte', 'Jens', 'Sofie', 'Wouter', 'Ellen', 'Bram', 'Lien', 'Stijn', 'Annelies', 'Koen', 'Marieke', 'Thijs', 'Eline'],
    last: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Vermeulen', 'Van den Broeck', 'Dierckx'],
  },
  uk: {
    first: ['Олена', 'Андрій', 'Оксана', 'Тарас', 'Ірина', 'Дмитро', 'Наталія', 'Богдан', 'Юлія', 'Олександр', 'Марія', 'Василь', 'Світлана', 'Євген', 'Галина', 'Ярослав'],
    last: ['Коваленко', 'Бондаренко', 'Шевченко', 'Мельник', 'Ткаченко', 'Кравченко', 'Олійник', 'Поліщук', 'Лисенко', 'Савченко', 'Руденко', 'Марченко', 'Гнатюк', 'Кравчук'],
  },
  in: {
    first: ['Arjun', 'Priya', 'Rahul', 'Ananya', 'Vikram', 'Sneha', 'Rohan', 'Kavya', 'Amit', 'Pooja', 'Sanjay', 'Meera', 'Karthik', 'Divya', 'Suresh', 'Lakshmi', 'Imran', 'Harpreet'],
    last: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Nair', 'Kulkarni', 'Deshpande', 'Gupta', 'Rao', 'Menon', 'Joshi', 'Pillai', 'Shetty', 'Verma', 'Khan', 'Singh'],
  },
  ph: {
    first: ['Jose', 'Maria', 'Mark Anthony', 'Kristine', 'Paolo', 'Angelica', 'Rommel', 'Jasmine', 'Carlo', 'Liza', 'Ramon', 'Princess', 'Jerome', 'Maricel', 'Joy', 'Rodel'],
    last: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Villanueva', 'Dela Cruz', 'Aquino', 'Ramos', 'Castillo', 'Navarro', 'Soriano'],
  },
};

/** Who works at each kind of partner, besides the owner/director (who is the partner admin). */
export const STAFF_ROLES: Record<AccountType | 'branch', readonly (readonly [RoleCode, number])[]> = {
  distributor: [['purchasing', 3], ['sales', 4], ['accountant', 2], ['engineer', 1]],
  branch: [['sales', 3], ['purchasing', 2], ['engineer', 1]],
  dealer: [['sales', 3], ['purchasing', 2], ['engineer', 2], ['accountant', 1], ['foreman', 1]],
  installer: [['foreman', 4], ['engineer', 2], ['purchasing', 1], ['accountant', 1]],
  reseller: [['purchasing', 3], ['sales', 3], ['accountant', 1]],
  end_customer: [['engineer', 3], ['purchasing', 3], ['accountant', 1], ['foreman', 1]],
};

/** Whose orders carry a member: the person who usually places them (accountants do not). */
export const ORDERING_WEIGHT: Record<RoleCode, number> = { purchasing: 6, owner: 2, sales: 2, engineer: 1, foreman: 1, accountant: 0 };

/** Yearly order profile per account type: orders per 30 days and the invoice range in euros. */
export const ORDER_PROFILE: Record<AccountType | 'branch', { perMonth: number; min: number; max: number; consumables: number }> = {
  distributor: { perMonth: 1.7, min: 9_000, max: 48_000, consumables: 0.35 },
  branch: { perMonth: 1.0, min: 2_500, max: 16_000, consumables: 0.4 },
  dealer: { perMonth: 0.8, min: 1_800, max: 14_000, consumables: 0.45 },
  installer: { perMonth: 0.6, min: 350, max: 4_800, consumables: 0.5 },
  reseller: { perMonth: 0.8, min: 1_500, max: 12_000, consumables: 0.55 },
  end_customer: { perMonth: 0.3, min: 3_500, max: 36_000, consumables: 0.6 },
};

export type Reward = { name: string; cost: number };

/** Rewards an employee takes from a personal wallet (points). */
export const MEMBER_REWARDS: readonly Reward[] = [
  { name: 'AquaPure softshell jacket', cost: 1_500 },
  { name: 'Insulated bottle and water-hardness test kit', cost: 800 },
  { name: 'Bosch Professional cordless drill', cost: 6_500 },
  { name: 'Fluke digital multimeter', cost: 4_800 },
  { name: 'Smartwatch', cost: 9_500 },
  { name: 'Weekend for two by Lake Annecy', cost: 24_000 },
  { name: 'Donation to a clean-water charity', cost: 1_000 },
  { name: 'Online course: softener sizing and commissioning', cost: 2_000 },
];

/** Rewards the company takes from its wallet (points). */
export const COMPANY_REWARDS: readonly Reward[] = [
  { name: 'Free delivery for 3 months', cost: 12_000 },
  { name: 'Extended warranty +2 years on 5 softeners', cost: 8_000 },
  { name: 'Co-branded showroom display', cost: 18_000 },
  { name: 'Voucher €250 on the next order', cost: 25_000 },
  { name: 'Technician training day for two', cost: 6_000 },
  { name: 'Two seats at the AquaPure partner convention', cost: 30_000 },
];

export const STAMP_REWARD: Reward = { name: 'Free AquaPure service kit (10 stamps)', cost: 10 };

export const ALLOCATION_REASONS: readonly string[] = [
  'thanks for the hotel retrofit project',
  'quarterly team bonus',
  'top seller of the month',
  'commissioning finished ahead of schedule',
  'completed the AquaPure softener training',
  'new key customer signed',
];

export const PRODUCT_LINES: readonly string[] = ['softeners', 'reverse-osmosis units', 'UV disinfection', 'filter cartridges', 'dosing pumps', 'salt and consumables'];
