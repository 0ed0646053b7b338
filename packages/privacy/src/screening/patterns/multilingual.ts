import { pattern, type ScreenPattern } from './screen-pattern.js';

const raw = String.raw;

/** Delivery and order words of several languages: instructions about them are the customer's. */
const BUSINESS_WORDS =
  /env[ií]o|entrega|pedido|livraison|commande|liefer|bestellung|consegna|ordine|доставк|заказ|配送|送货|快递|订单|配達|注文|التوصيل|الطلب|الشحن|배송|주문|pengiriman|pesanan|teslimat|sipari[sş]|levering|bestelling|डिलीवरी|ऑर्डर|delivery|order/iu;
/** First-person possessives: "my previous instructions" are the customer's own. */
const FIRST_PERSON =
  /我|(?<![\p{L}])(?:mi|mis|mes|mon|ma|meine[nms]?|minha|meu|mia|mie|miei|mijn|мои|моё|мой|моих|saya|benim|मेरे|मेरी|मेरा)(?![\p{L}])|私の|내\s/iu;

/** "... of the manual", "... de livraison": instructions about something other than the AI. */
const OF_SOMETHING_ELSE =
  /^\s*(?:del?|du|des|da|do|della|dello|dei|des|van\s+de|of\s+the)\s+(?!sistema|syst[eè]me|seguridad|s[eé]curit[eé]|sicurezza|seguran[cç]a|systeem)\p{L}/iu;

/**
 * A foreign "ignore the instructions" counts when it carries a qualifier pointing at the AI
 * (`qualifier`), and not when it is about the customer's own delivery or order.
 */
function aimedAtAi(qualifier: RegExp | null) {
  return (match: RegExpMatchArray, text: string): boolean => {
    const start = match.index!;
    const around = text.slice(start, start + match[0].length + 40);
    if (BUSINESS_WORDS.test(around) || FIRST_PERSON.test(match[0])) return false;
    // "las instrucciones del manual", "les consignes de montage": about something else.
    const after = text.slice(start + match[0].length, start + match[0].length + 30);
    if (OF_SOMETHING_ELSE.test(after)) return false;
    return qualifier === null || qualifier.test(match[0]);
  };
}

/**
 * The common attacks in other languages: set aside the previous instructions or rules, show the
 * system prompt, drop all restrictions. Each "set aside" pattern needs a qualifier (all,
 * previous, your, system) so that "ignore my previous email" in any language stays benign.
 */
export const MULTILINGUAL_PATTERNS: readonly ScreenPattern[] = [
  {
    name: 'ignore-previous-instructions:hi',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`(?:पिछले|पहले\s+के|पूर्व|ऊपर\s+के|सभी|सारे|अपने)\s+(?:\S+\s+){0,2}?(?:निर्देशों|निर्देश|आदेशों|नियमों|नियम|इंस्ट्रक्शन्स?)\s+(?:\S+\s+){0,2}?(?:अनदेखा|नज़रअंदाज़|नजरअंदाज|भूल|इग्नोर)`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'ignore-previous-instructions:hinglish',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:pichle|pichhle|pehle\s+ke|purane|upar\s+wale|sabhi|saare|sare|apne)\s+(?:\S+\s+){0,2}?(?:instructions?|nirdesh|rules|niyam)\s+(?:\S+\s+){0,2}?(?:ignore|bhool|bhul|nazarandaz)`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'ignore-previous-instructions:es',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:ignora|ignore|ignorar|ignoren|olvida|olvide|olvidar|olviden|descarta|omite|no\s+sigas)\s+(?:(?:todas|todos|las|los|tus|sus|mis?)\s+)*(?:instrucciones|reglas|indicaciones|directrices|normas)\s*(?:anteriores|previas|del\s+sistema|de\s+seguridad)?`,
    ),
    accept: aimedAtAi(/\b(?:todas|todos|tus|sus|anteriores|previas|sistema|seguridad)\b/iu),
  },
  {
    name: 'ignore-previous-instructions:fr',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:ignore|ignorez|oublie|oubliez|ne\s+tiens\s+pas\s+compte\s+des|ne\s+suis\s+plus)\s+(?:(?:toutes|tous|les|tes|vos|ses)\s+)*(?:instructions|consignes|r[eè]gles|directives)\s*(?:pr[eé]c[eé]dentes|ant[eé]rieures|du\s+syst[eè]me|de\s+s[eé]curit[eé]|ci-dessus|plus\s+haut)?`,
    ),
    accept: aimedAtAi(
      /\b(?:toutes|tous|tes|vos|ses|pr[eé]c[eé]dentes|ant[eé]rieures|syst[eè]me|s[eé]curit[eé]|ci-dessus|plus\s+haut)/iu,
    ),
  },
  {
    name: 'ignore-previous-instructions:de',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:ignoriere|ignorier|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte|missachten\s+sie)\s+(?:(?:alle|deine|ihre|die|vorherigen|vorigen|bisherigen|obigen|fr[uü]heren)\s+)*(?:anweisungen|instruktionen|regeln|vorgaben|richtlinien|befehle|systemanweisungen)`,
    ),
    accept: aimedAtAi(
      /\b(?:alle|deine|ihre|vorherigen|vorigen|bisherigen|obigen|fr[uü]heren)\b|systemanweisungen/iu,
    ),
  },
  {
    name: 'ignore-previous-instructions:pt',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:ignore|ignora|ignorar|esque[cç]a|esquece|desconsidere|descarte)\s+(?:(?:todas|todos|as|os|suas|tuas|seus)\s+)*(?:instru[cç][oõ]es|regras|diretrizes)\s*(?:anteriores|pr[eé]vias|do\s+sistema)?`,
    ),
    accept: aimedAtAi(/\b(?:todas|todos|suas|tuas|seus|anteriores|pr[eé]vias|sistema)\b/iu),
  },
  {
    name: 'ignore-previous-instructions:it',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:ignora|ignorate|ignori|dimentica|dimenticate)\s+(?:(?:tutte|tutti|le|tue|sue|vostre)\s+)*(?:istruzioni|regole|direttive)\s*(?:precedenti|di\s+sistema)?`,
    ),
    accept: aimedAtAi(/\b(?:tutte|tutti|tue|sue|vostre|precedenti|sistema)\b/iu),
  },
  {
    name: 'ignore-previous-instructions:nl',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:negeer|vergeet)\s+(?:(?:alle|je|jouw|uw|de|vorige|eerdere)\s+)*(?:instructies|regels|richtlijnen)`,
    ),
    accept: aimedAtAi(/\b(?:alle|je|jouw|uw|vorige|eerdere)\b/iu),
  },
  {
    name: 'ignore-previous-instructions:ru',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`(?:игнорируй|игнорируйте|проигнорируй|проигнорируйте|забудь|забудьте|не\s+обращай\s+внимания\s+на)\s+(?:(?:все|всё|свои|твои|ваши|предыдущие|прежние|системные)\s+)*(?:инструкции|указания|правила|команды)`,
    ),
    accept: aimedAtAi(/(?:все|свои|твои|ваши|предыдущие|прежние|системные)/iu),
  },
  {
    name: 'ignore-previous-instructions:id',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:abaikan|lupakan)\s+(?:semua\s+)?(?:instruksi|perintah|aturan)\s+(?:sebelumnya|anda|kamu|sistem)|\b(?:abaikan|lupakan)\s+(?:semua\s+)?(?:instruksimu|perintahmu|aturanmu)|\bjangan\s+(?:ikuti|patuhi|turuti)\s+(?:lagi\s+)?(?:aturan|instruksi|perintah)(?:mu|\s+(?:anda|kamu|sistem))`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'ignore-previous-instructions:tr',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:önceki|tüm|bütün)\s+(?:\S+\s+){0,2}?(?:talimatları|talimatlari|kuralları|komutları)\s+(?:yok\s+say|görmezden\s+gel|unut|dikkate\s+alma)`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'ignore-previous-instructions:ar',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`(?:تجاهل|تجاهلي|انس|انسى|أهمل|اهمل)\s+(?:\S+\s+){0,2}?(?:التعليمات|الأوامر|القواعد|التوجيهات|تعليماتك|أوامرك|قواعدك|إرشاداتك)`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'ignore-previous-instructions:zh',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`(?:忽略|无视|忽视|忘记|忘掉|不要理会|不要遵守|不再遵守)[^。！？\n]{0,12}?(?:指令|指示|规则|设定|命令|提示词)`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'ignore-previous-instructions:ja',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`(?:以前|前|これまで|今まで|従来|元|最初|上記|先|全て|すべて)の[^。\n]{0,8}?(?:指示|命令|ルール|指令|設定)[^。\n]{0,10}?(?:無視|忘れ)`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'ignore-previous-instructions:ko',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`(?:이전|앞의|위의|기존|모든)[^.\n]{0,10}?(?:지시|명령|지침|규칙)[^.\n]{0,10}?(?:무시|잊)`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'system-prompt:multilingual',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      raw`सिस्टम\s*प्रॉ?म्प्ट|\bsystem\s*prompt\s+(?:batao|dikhao|bata|dikha)|\b(?:prompt|mensaje|indicaciones)\s+del\s+sistema|\bprompt\s+(?:du\s+)?syst[eè]me|\binvite\s+syst[eè]me|\bsystem-?prompt\b|\bsystemanweisung|\bprompt\s+do\s+sistema|\bprompt\s+di\s+sistema|\bsysteemprompt|системн\p{L}*\s+(?:промпт|подсказк\p{L}*|инструкци\p{L}*)|系统提示|系统指令|系统消息|システムプロンプト|موجه\s+النظام|تعليمات\s+النظام|رسالة\s+النظام|시스템\s*프롬프트|\bprompt\s+sistem|\bsistem\s+istemi`,
    ),
  },
  {
    name: 'reveal-system-prompt:multilingual',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(
      raw`दिखा|बता|\b(?:batao|dikhao)\b|\b(?:muestra|muéstrame|revela|dime|enseña)\b|\b(?:r[eé]v[eè]le|montre|affiche|donne-moi)\b|\b(?:zeige?|verrate|nenne|gib)\b|\b(?:revele|mostre|mostra|rivela)\b|\b(?:toon|laat\s+zien)\b|покажи|раскрой|显示|告诉|输出|透露|表示|教えて|見せ|اكشف|أظهر|اعرض|보여|\b(?:tampilkan|tunjukkan)\b|\bgöster`,
    ),
    accept: (_match, text) =>
      /सिस्टम|system|sistema|syst[eè]me|systeem|sistem|систем|系统|システム|النظام|시스템/iu.test(
        text,
      ),
  },
  {
    name: 'no-restrictions:multilingual',
    weight: 0.6,
    scope: 'phrase',
    regex: pattern(
      raw`\bsin\s+(?:restricciones|reglas|l[ií]mites|filtros)\b|\bsans\s+(?:restrictions|limites|r[eè]gles|filtres)\b|\bohne\s+(?:einschr[aä]nkungen|regeln|filter|grenzen)\b|\bsem\s+restri[cç][oõ]es\b|\bsenza\s+(?:restrizioni|limiti|regole)\b|без\s+(?:ограничений|правил|фильтров)|没有(?:任何)?限制|无限制|不受限制|制限なし|制限のない|بدون\s+قيود|제한\s*없|बिना\s+(?:किसी\s+)?(?:प्रतिबंध|नियम|रोक)`,
    ),
  },
  {
    name: 'role-override:multilingual',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(
      raw`\b(?:ahora\s+eres|act[uú]a\s+como|agis\s+comme|tu\s+es\s+maintenant|du\s+bist\s+jetzt|agora\s+voc[eê]\s+[eé]|ora\s+sei|a\s+partir\s+de\s+ahora,?\s+(?:eres|ser[aá]s|vas\s+a|responder[aá]s)|[aà]\s+partir\s+de\s+maintenant,?\s+tu|ab\s+jetzt\s+(?:bist|wirst)\s+du|a\s+partir\s+de\s+agora,?\s+voc[eê])\b|你现在是|从现在开始你|これからあなたは|теперь\s+ты|отныне\s+ты|с\s+этого\s+момента\s+ты|अब\s+(?:से\s+)?(?:तुम|आप)|أنت\s+الآن|이제\s+너는|\bsekarang\s+kamu\s+(?:bebas|adalah)`,
    ),
  },
  {
    name: 'admin-access-request:multilingual',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(
      raw`एडमिन\s+एक्सेस|كلمة\s+مرور\s+المسؤول|\bacc[eè]s\s+administrateur|\bdame\s+la\s+contrase[nñ]a\s+del\s+administrador|告诉我(?:\S{0,4})?密码|パスワードを教え|\badministratorrechte|\bderechos\s+de\s+administrador|\bdroits\s+(?:d['’]\s*)?administrateur|\bacesso\s+de\s+administrador|管理员权限|管理者権限|صلاحيات\s+المسؤول|права\s+администратора`,
    ),
  },
  {
    name: 'forget-everything:multilingual',
    weight: 0.4,
    scope: 'phrase',
    regex: pattern(
      raw`\bvergiss\s+alles\b|\boublie[sz]?\s+tout\b|\bolvida\s+todo\b|\besque[cç]a\s+tudo\b|\bdimentica\s+tutto\b|забудь(?:те)?\s+вс[её]|忘掉(?:上面的|之前的)?一切|忘记(?:上面的|之前的)?一切|すべて忘れ|全部忘れ|모든\s*것을\s*잊|सब\s+कुछ\s+भूल|انس\s+كل\s+شيء|\blupakan\s+semua\b|\bher\s+şeyi\s+unut|\bvergeet\s+alles\b`,
    ),
    accept: aimedAtAi(null),
  },
  {
    name: 'authority-claim:multilingual',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\bje\s+suis\s+(?:ton|votre)\s+(?:d[eé]veloppeur|cr[eé]ateur|administrateur|propri[eé]taire)|\bich\s+bin\s+(?:dein|ihr)\s+(?:entwickler|ersteller|administrator|sch[oö]pfer)|\bsoy\s+tu\s+(?:desarrollador|creador|administrador)|\bsou\s+(?:o\s+)?(?:seu|teu)\s+(?:desenvolvedor|criador|administrador)|\bsono\s+il\s+tuo\s+(?:sviluppatore|creatore|amministratore)|मैं\s+(?:तुम्हारा|आपका)\s+(?:डेवलपर|निर्माता|एडमिन)|我是你的(?:开发者|开发人员|创造者|管理员)|私はあなたの(?:開発者|作成者|管理者)|я\s+тво[йя]\s+(?:разработчик|создатель|администратор)|أنا\s+(?:مطورك|منشئك)|\bsaya\s+(?:adalah\s+)?(?:pengembang|pembuat)\s+(?:anda|kamu)`,
    ),
  },
  {
    name: 'override-safety:multilingual',
    weight: 1,
    scope: 'phrase',
    regex: pattern(
      raw`\bd[eé]sactive[rz]?\s+(?:tes|vos|les)\s+(?:filtres|r[eè]gles|restrictions)|\bdeaktiviere\s+(?:deine|die|alle)\s+(?:filter|sicherheits\p{L}*|regeln)|\bdesactiva\s+(?:tus|los|todas\s+las|todos\s+los)\s+(?:filtros|reglas|restricciones)|\bdesative\s+(?:seus|os|suas|as)\s+(?:filtros|regras)|\bdisattiva\s+(?:i\s+tuoi|i|le\s+tue)\s+(?:filtri|regole)|सुरक्षा\s+(?:नियम|फ़िल्टर|फिल्टर)\s+(?:बंद|हटा)|关闭(?:你的)?(?:安全)?(?:过滤|限制)|フィルターを(?:無効|オフ)|отключи\s+(?:свои\s+|все\s+)?(?:фильтры|ограничения)`,
    ),
  },
  {
    name: 'role-override:ja',
    weight: 0.5,
    scope: 'phrase',
    regex: pattern(raw`あなたは(?:今|これから|現在)?[^。\n]{0,12}(?:AI|ＡＩ|アシスタント)です`),
  },
];
