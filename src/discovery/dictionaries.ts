/**
 * Word lists for recognizing names and places: faker's English locale, the
 * same data the fakes are drawn from. Entries are kept lower-case; whether a
 * value is capitalised like a name is the recognizer's question.
 *
 * The lists are small (about 3,200 first names, 470 last names, 930 cities),
 * so a real name is often missing from them; the name recognizers therefore
 * ask for most words of a value, not all, and lean on the attribute's name.
 */
import { EN as en } from '../../transformers/faker-en.ts';

const lower = (words: Iterable<string>): Set<string> => new Set([...words].map((word) => word.toLowerCase()));

/**
 * First names that are far more often ordinary words in data (a colour, a
 * month, a virtue, a tier): a column of `Amber`, `Ruby`, `Gold`, `Royal`
 * is a palette or a plan, not people.
 */
const FIRST_NAMES_THAT_ARE_WORDS = [
  'amber', 'april', 'august', 'autumn', 'blue', 'crystal', 'destiny', 'diamond', 'dusty', 'faith', 'forest', 'golden', 'grace', 'green',
  'harmony', 'hazel', 'honey', 'hope', 'ivory', 'jade', 'jewel', 'joy', 'june', 'king', 'major', 'may', 'olive', 'pearl', 'precious',
  'prince', 'rose', 'royal', 'ruby', 'river', 'sky', 'star', 'summer', 'sunny', 'violet', 'will', 'winter', 'angel', 'chase', 'hunter',
  'page', 'rich', 'guy', 'art', 'bill', 'sterling', 'unique', 'lucky', 'ocean', 'rain', 'storm', 'raven',
];

const person = en.person!;
const location = en.location!;

export const FIRST_NAMES: ReadonlySet<string> = (() => {
  const names = lower([...person.first_name!.generic!, ...person.first_name!.female!, ...person.first_name!.male!]);
  for (const word of FIRST_NAMES_THAT_ARE_WORDS) names.delete(word);
  return names;
})();

export const LAST_NAMES: ReadonlySet<string> = (() => {
  const names = lower(person.last_name!.generic!);
  for (const word of ['green', 'king', 'will', 'rich', 'price', 'white', 'brown', 'black']) names.delete(word);
  return names;
})();

/** Words that may stand beside a name without being one: "Dr. Ada Lovelace", "Martin Luther King Jr.", "Ludwig van Beethoven". */
export const NAME_AFFIXES: ReadonlySet<string> = lower([
  ...person.prefix!.generic!, ...person.prefix!.female!, ...person.prefix!.male!, ...person.suffix!,
  'mr', 'mrs', 'ms', 'dr', 'prof', 'jr', 'sr',
]);
export const NAME_PARTICLES: ReadonlySet<string> = new Set(['van', 'von', 'de', 'der', 'den', 'da', 'di', 'du', 'del', 'della', 'la', 'le', 'bin', 'ibn', 'al', 'st']);

export const CITIES: ReadonlySet<string> = lower(location.city_name!);

export const US_STATES: ReadonlySet<string> = lower(location.state!);

export const COUNTRIES: ReadonlySet<string> = lower([
  ...location.country!,
  // Short forms that data holds more often than faker's official ones.
  'United States', 'USA', 'UK', 'England', 'Scotland', 'Wales', 'Northern Ireland', 'Russia', 'South Korea', 'North Korea',
  'Vietnam', 'Iran', 'Syria', 'Laos', 'Bolivia', 'Venezuela', 'Tanzania', 'Moldova', 'Czechia', 'Ivory Coast', 'Vatican City',
]);

/** Street suffixes: faker's words and the USPS abbreviations seen in real addresses. */
export const STREET_SUFFIXES: ReadonlySet<string> = lower([
  ...location.street_suffix!,
  'St', 'Ave', 'Av', 'Rd', 'Blvd', 'Dr', 'Ln', 'Ct', 'Pl', 'Ter', 'Pkwy', 'Hwy', 'Cir', 'Sq', 'Trl', 'Cres', 'Crt', 'Mnr',
  'Aly', 'Expy', 'Fwy', 'Plz', 'Pt', 'Rte', 'Xing', 'Strasse', 'Straße', 'Str', 'Rue', 'Calle', 'Via', 'Gasse', 'Weg', 'Laan', 'Gatan',
]);

/** What follows a street in an address line: "Apt. 4", "Suite 210", "#5". */
export const SECONDARY_UNITS: ReadonlySet<string> = new Set(['apt', 'apartment', 'suite', 'ste', 'unit', 'fl', 'floor', 'rm', 'room', 'bldg', 'building']);
