// Brands and product lines whose following words name a model ("Galaxy S23", "Dyson V11").
const BRANDS =
  'iPhone|iPad|iPod|MacBook(?: Air| Pro)?|iMac|Apple Watch|AirPods(?: Pro| Max)?|Galaxy|Pixel|OnePlus|Redmi|Realme|Xiaomi|Oppo|Vivo|Nokia|Moto|Motorola|Huawei|Honor|Dyson|Sony|Bose|JBL|Sennheiser|Kindle|Echo|Fire TV|PlayStation|PS[45]|Xbox|Nintendo Switch|ThinkPad|IdeaPad|Surface|Chromebook|Fitbit|Garmin|GoPro|Canon|Nikon|Philips|Roomba|Nest|Alexa|Tesla|Whirlpool|Bosch|Samsung|LG|Panasonic|Lenovo|Dell|HP|Asus|Acer';
// A model: up to three words after the brand that are capitalised or carry a digit.
const MODEL_WORD = String.raw`(?:[A-Z][\w-]{0,20}|[\w-]{0,12}\d[\w-]{0,12})`;
const BRANDED = new RegExp(String.raw`(?<![\p{L}])(?:${BRANDS})(?:\s+${MODEL_WORD}){0,3}`, 'gu');
// "model WM-7000"
const MODEL =
  /\bmodel(?:\s+(?:no\.?|number))?\s*:?\s*([A-Z0-9][A-Z0-9-]{1,30}\d[A-Z0-9-]{0,10}|[A-Z]{1,6}-?\d[A-Z0-9-]{0,20})\b/gu;
// "(Data Science Bootcamp)": a title-cased name in parentheses.
const PARENTHESISED = /\(((?:[A-Z][\p{L}\d&'-]{0,30})(?: [A-Z][\p{L}\d&'-]{0,30}){1,4})\)/gu;
// Words that follow a brand in speech without naming a model.
const TRAILING =
  /(?:\s+(?:Support|Care|Service|Team|Customer|Store|Account|App|Help|Plan|Order|I|The|It|My))+$/u;

/**
 * Products as `product:` entities, only where the text names one reliably: a known brand or
 * product line with its model ("Galaxy S23", "Sony WH-1000XM5", "Kindle Paperwhite"), an explicit
 * "model WM-7000", or a title-cased name in parentheses. Generic nouns ("the blender") are not
 * products. A brand alone ("Samsung") is kept only when followed by a model.
 */
export function findProducts(text: string): string[] {
  const found: Array<[number, string]> = [];
  for (const match of text.matchAll(BRANDED)) {
    const name = match[0].replace(TRAILING, '').trim();
    if (/\s/u.test(name) || /\d/u.test(name)) found.push([match.index, `product:${name}`]);
  }
  for (const match of text.matchAll(MODEL)) found.push([match.index, `product:${match[1]!}`]);
  for (const match of text.matchAll(PARENTHESISED))
    found.push([match.index, `product:${match[1]!}`]);
  const seen = new Set<string>();
  return found
    .sort((a, b) => a[0] - b[0])
    .map(([, entity]) => entity)
    .filter((entity) => !seen.has(entity.toLowerCase()) && seen.add(entity.toLowerCase()));
}
