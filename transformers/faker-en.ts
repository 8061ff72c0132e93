/**
 * faker with its English data only. The package's main entry loads every
 * locale it ships (~30 MB resident in a worker, measured), where dynamask
 * draws from English alone; its `locale/en` entry loads English and the
 * base data, and its instance carries the class and the definitions that
 * `new Faker({ locale: [en, base] })` needs.
 */
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import type { Faker as FakerInstance, LocaleDefinition } from '@faker-js/faker';

export type Faker = FakerInstance;
export type { Randomizer } from '@faker-js/faker';

export const Faker = englishFaker.constructor as new (options: ConstructorParameters<typeof FakerInstance>[0]) => FakerInstance;

/** English merged with the base locale: what `[en, base]` gives a Faker. */
export const EN: LocaleDefinition = englishFaker.rawDefinitions;
