/** Common Swedish names: small lists, so the demo roster looks familiar without being anyone in particular. */

export const girlNames = [
  'Alice', 'Maja', 'Vera', 'Elsa', 'Astrid', 'Alma', 'Wilma', 'Ebba', 'Selma', 'Saga',
  'Agnes', 'Olivia', 'Freja', 'Stella', 'Signe', 'Ella', 'Klara', 'Lilly', 'Ellen', 'Nora',
  'Ines', 'Tyra', 'Edith', 'Ida', 'Linnea', 'Julia', 'Elin', 'Sara', 'Emma', 'Hanna',
  'Amira', 'Leila', 'Sofia', 'Anna', 'Karin', 'Eva', 'Maria', 'Lena', 'Ingrid', 'Ann-Sofie',
] as const;

export const boyNames = [
  'Noah', 'William', 'Hugo', 'Liam', 'Lucas', 'Oliver', 'Elias', 'Adam', 'Alexander', 'Vincent',
  'Theo', 'Leo', 'Matteo', 'Nils', 'Oscar', 'Arvid', 'Ludvig', 'Charlie', 'Axel', 'Sixten',
  'Harry', 'Viktor', 'Filip', 'Isak', 'Emil', 'Olle', 'Malte', 'Gustav', 'Anton', 'Erik',
  'Omar', 'Yusuf', 'Mohammed', 'Per', 'Lars', 'Johan', 'Anders', 'Mikael', 'Jonas', 'Björn',
] as const;

export const familyNames = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson',
  'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson',
  'Lindberg', 'Jakobsson', 'Magnusson', 'Lindström', 'Olofsson', 'Lindqvist', 'Lindgren', 'Berg',
  'Axelsson', 'Bergström', 'Lundberg', 'Lind', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund',
  'Fredriksson', 'Sandberg', 'Henriksson', 'Forsberg', 'Sjöberg', 'Wallin', 'Engström', 'Ek',
  'Danielsson', 'Håkansson', 'Lundin', 'Björk', 'Holm', 'Sundberg', 'Åberg', 'Ali', 'Hassan', 'Nyström',
] as const;

/** A name as it appears in a Swedish school login: lower case ASCII, å/ä → a, ö → o. */
export function loginSlug(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9-]/g, '');
}

/** Staff signatures (`Duty.signature`) are three letters from the names, upper case. */
export function signatureOf(given: string, family: string): string {
  const g = loginSlug(given).replace(/-/g, '');
  const f = loginSlug(family);
  return (g.slice(0, 2) + f.slice(0, 1)).toUpperCase();
}
