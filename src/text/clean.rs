//! Reading only what the sender wrote: quoted replies, forwarded blocks, signatures, phone
//! footers, greetings and sign-offs are taken off before matching, and a message is split into
//! its questions.

use super::SplitWords;
use std::sync::LazyLock;

use regex::Regex;

/// What is left of a message once everything the sender did not write for this enquiry is gone.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct CleanText {
    /// The sender's own words, without greeting, sign-off, signature or quotes.
    pub text: String,
    /// The sign-off and signature block (names, job titles, hospitals), kept for the region.
    pub signature: String,
    /// The sender's name as signed ("Dr D. Moore"), when the sign-off gives one.
    pub signed_name: Option<String>,
    /// Whether quoted or forwarded text was removed.
    pub quoted: bool,
    /// The quoted mail that was removed ("> …" lines without their marks, and everything
    /// from a quote's attribution on), at most [`MAX_QUOTED_BYTES`] in whole lines: a
    /// follow-up's place is often only there.
    #[serde(skip)]
    pub quoted_text: String,
}

/// Bytes of quoted mail [`CleanText::quoted_text`] keeps at most.
pub const MAX_QUOTED_BYTES: usize = 20_000;

/// `lines` joined by newlines, as many whole lines as fit in [`MAX_QUOTED_BYTES`].
fn bounded_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        if out.len() + line.len() + 1 > MAX_QUOTED_BYTES {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

// Languages of reply furniture: English, Welsh, German, French, Spanish, Italian, Dutch,
// Portuguese and Polish (the languages an NHS mailbox sees), as their common mail clients write
// it (Outlook, Gmail, Apple Mail, Thunderbird).

/// "wrote:" as quote attributions end: "On … wrote:", "Le … a écrit :", "Am … schrieb …:",
/// "El … escribió:", "Il … ha scritto:", "Op … schreef …:", "Em … escreveu:",
/// "W dniu … napisał(a):", "… pisze:", "Ar … ysgrifennodd …:".
static WROTE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(wrote|a\s+écrit|schrieb|escribió|ha\s+scritto|schreef|escreveu|napisał(?:\(a\)|a)?|pisze|ysgrifennodd)(?:\s+[^:]{0,80})?\s*:\s*$",
    )
    .expect("wrote regex is valid")
});

/// How an attribution wrapped over two lines starts.
static ATTRIBUTION_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(on|le|am|el|il|op|em|w\s+dniu|ar|dnia)\s")
        .expect("attribution regex is valid")
});

/// A dashed banner: "-----Original Message-----", "---------- Forwarded message ---------",
/// "-----Ursprüngliche Nachricht-----", "-------- Message transféré --------"…
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*-{2,}\s*[^-\s][^-]{2,50}-{2,}\s*$").expect("banner regex is valid")
});

/// What a mail client's dashed banner ([`BANNER`]) says in its languages: a message, original
/// or forwarded ("Original Message", "Forwarded message", "Ursprüngliche Nachricht", "Message
/// transféré", "Mensaje original", "Messaggio inoltrato", "Oorspronkelijk bericht",
/// "Wiadomość oryginalna", "Mensagem original").
static BANNER_NAMES_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)message|nachricht|messaggio|mensaje|mensagem|bericht|wiadomo|forward|original|oryginal|oorspronkelijk|weitergeleitet|transf[ée]r|reenviad|inoltrat|doorgestuurd|reply|antwort|r[ée]ponse|respuesta|risposta")
        .expect("banner names message regex is valid")
});

/// Apple Mail's and others' forward markers without dashes.
static FORWARD_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(begin\s+forwarded\s+message|anfang\s+der\s+weitergeleiteten\s+nachricht|début\s+du\s+message\s+réexpédié|inicio\s+del\s+mensaje\s+reenviado|inizio\s+messaggio\s+inoltrato|begin\s+doorgestuurd\s+bericht|início\s+da\s+mensagem\s+reencaminhada)\s*:\s*$")
        .expect("forward marker regex is valid")
});

/// The first field of a header block in a quote or forward: "From:", "Von:", "De :", "Da:",
/// "Van:", "Od:", "Oddi wrth:" (Outlook bolds them in HTML: "*From:*").
static FROM_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(from|von|de|da|van|od|oddi\s+wrth|från|fra|lähettäjä|kimden)\s*:\*?\s*(?P<value>.+)$")
        .expect("from field regex is valid")
});

/// Other fields of such a block: sent/date, to, cc, subject in the same languages.
static OUTLOOK_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*\*?(
            sent|date|to|subject|cc
          | gesendet|datum|an|betreff
          | envoyé|à|objet
          | enviado|enviado\s+el|fecha|para|asunto|cc
          | inviato|data|a|oggetto
          | verzonden|aan|onderwerp
          | enviada|enviada\s+em|assunto
          | wysłano|do|temat|dw
          | anfonwyd|at|pwnc
          | skickat|datum|till|ämne|kopia
          | sendt|dato|til|emne
          | lähetetty|päivämäärä|vastaanottaja|aihe|kopio
          | gönderildi|tarih|kime|konu|bilgi
        )\s*:\*?\s",
    )
    .expect("outlook field regex is valid")
});

static SUBJECT_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(subject|betreff|objet|asunto|oggetto|onderwerp|assunto|temat|pwnc)\s*:\*?\s*(?P<value>.*)$")
        .expect("subject field regex is valid")
});

static MOBILE_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(sent from (my )?\w+|sent from outlook|get outlook for \w+|sent via \w+|sent using \w+|von meinem \w+ gesendet|envoyé de mon \w+|enviado desde mi \w+|inviato da(l mio)? \w+|verzonden (met|vanaf) mijn \w+|enviado do meu \w+|wysłane z (mojego )?\w+)")
        .expect("footer regex is valid")
});

static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(
            thanks\s+(?:and|&)\s+(?:best\s+|kind\s+)?(?:regards|wishes)|many\s+thanks|thanks\s+(?:again|in\s+advance|so\s+much|very\s+much|a\s+lot)|thanks|thank\s+you(?:\s+(?:so|very)\s+much)?(?:\s+in\s+advance)?
          | thx|ta|cheers|best(?:\s+wishes|\s+regards)?|kind(?:est)?\s+regards|warm(?:est)?\s+regards|regards|(?:b|best|kind|warm)?\s*rgds|regds
          | with\s+(?:best|kind|warm|warmest|many)\s+(?:wishes|regards|thanks)|with\s+(?:many\s+)?thanks|with\s+gratitude|with\s+regards
          | (?:warm|kind|good)\s+wishes|thanking\s+you(?:\s+in\s+(?:advance|anticipation))?|respectfully|all\s+the\s+best|yours(?:\s+sincerely|\s+faithfully|\s+truly|\s+ever|\s+obediently|\s+respectfully)?
          | sincerely|take\s+care|speak\s+soon|bw|kr
          # Welsh
          | cofion(?:\s+gorau|\s+cynnes)?|yn\s+gywir(?:\s+iawn)?|diolch(?:\s+yn\s+fawr(?:\s+iawn)?)?|gyda\s+dymuniadau\s+gorau
          # German
          | mit\s+freundlichen\s+grüßen|mit\s+freundlichen\s+grüssen|mfg|(?:viele|beste|liebe|freundliche|herzliche)\s+grüße|(?:viele|beste|liebe|freundliche|herzliche)\s+grüsse|gruß|grüße|danke(?:\s+schön|\s+sehr)?|vielen\s+dank
          # French
          | (?:bien\s+)?cordialement|bien\s+à\s+vous|salutations(?:\s+distinguées)?|merci(?:\s+beaucoup|\s+d'avance|\s+d’avance)?|bonne\s+journée|amicalement|sincères\s+salutations
          # Spanish
          | (?:un\s+)?saludos?(?:\s+cordiales)?|atentamente|cordialmente|(?:muchas\s+)?gracias|un\s+abrazo
          # Italian
          | (?:cordiali|distinti)\s+saluti|saluti|un\s+saluto|grazie(?:\s+mille)?
          # Dutch
          | met\s+vriendelijke\s+groet(?:en)?|(?:vriendelijke|hartelijke)\s+groet(?:en)?|groet(?:en|jes)?|mvg|bedankt|dank\s+(?:je|u)(?:\s+wel)?
          # Portuguese
          | atenciosamente|(?:com\s+os\s+melhores\s+)?cumprimentos|obrigad[oa]|saudações|abraços?
          # Polish
          | pozdrawiam(?:\s+serdecznie)?|serdecznie\s+pozdrawiam|z\s+poważaniem|dziękuję|dzięki
        )\s*[,.!]*\s*(?P<name>[^?]{0,60})$",
    )
    .expect("sign-off regex is valid")
});

static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(
            (?:dear|hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|morning|afternoon|greetings|to\s+whom\s+it\s+may\s+concern|respected|esteemed|(?:sir|madam|sirs)\b|GREET)
            (?:\s+[\w.'/-]+){0,4}?(?:\s*\([^()\n]{0,60}\))?\s*[,!:]   # an aside: Hi all (and copying the team),
          | (?:dear|hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|respected|GREET)(?:\s+[\w.'/-]+){0,4}\s*$
          # a greeting ended by a full stop: Good morning. Kindly tell me …; Hi all.
          | (?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening|day)|morning|afternoon)(?:\s+(?:all|everyone|everybody|team|there|folks|guys|sir|madam|doctor|dr))?\s*\.(?:\s|$)
          | dear\s+(?:sir\s*/\s*madam|sir\s+or\s+madam|sirs?|madam|all|team|colleagues?|(?:fpt|admin)\s+team)\s*\.(?:\s|$)
        )"
        .replace(
            "GREET",
            // Welsh, German, French, Spanish, Italian, Dutch, Portuguese, Polish
            r"annwyl|helo|shwmae|bore\s+da|prynhawn\s+da|noswaith\s+dda
              | hallo|sehr\s+geehrte[rs]?|liebe[rs]?|guten\s+(?:tag|morgen|abend)|moin
              | bonjour|bonsoir|madame|monsieur|cher|chère|chers|salut
              | hola|estimad[oa]s?|buen[oa]s\s+(?:días|tardes|noches)
              | ciao|buongiorno|buonasera|gentile|gentili|egregio|salve
              | beste|geachte|goedemorgen|goedemiddag|hoi
              | olá|ola|prezad[oa]s?|car[oa]s?|bom\s+dia|boa\s+tarde|oi
              | dzień\s+dobry|witam|szanown[iya]\s+(?:państwo|panie|pani)|cześć",
        )
        .as_str(),
    )
    .expect("greeting regex is valid")
});

/// A line that only thanks for the previous answer ("Merci pour votre réponse."): a
/// pleasantry, not part of the question.
static THANKS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(
            (?:many\s+)?thanks|thank\s+you(?:\s+(?:so|very)\s+much)?
          | diolch(?:\s+yn\s+fawr)?|vielen\s+dank|danke(?:\s+schön)?|merci(?:\s+beaucoup)?|(?:muchas\s+)?gracias
          | grazie(?:\s+mille)?|(?:hartelijk\s+)?bedankt|dank\s+(?:je|u)(?:\s+wel)?|obrigad[oa]|(?:bardzo\s+)?dziękuję
        )\b[^?]{0,60}?\b(
            reply|response|answer|email|e-mail|message|info(?:rmation)?|help|quick\s+response
          | ateb|neges|antwort|nachricht|mail|hilfe|réponse|message|aide|respuesta|correo|mensaje|ayuda
          | risposta|messaggio|aiuto|antwoord|bericht|hulp|resposta|mensagem|ajuda|odpowiedź|wiadomość|pomoc
        )\b(?P<after>[^?]{0,40})$",
    )
    .expect("thanks line regex is valid")
});

/// Where a confidentiality notice or legal footer begins.
static DISCLAIMER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*[*=_-]*\s*(
            important\s+notice\b|disclaimer\b|notice\s*:
          | (?:email\s+|e-mail\s+)?confidentiality(?:\s+notice)?\b
          | (?:this|the)\s+(?:e-?mail|message|communication|information)(?:\s+and\s+any\s+(?:files|attachments)[^.]{0,40})?(?:\s+(?:contained|transmitted)\s+(?:in|with)\s+(?:it|this\s+(?:e-?mail|message)))?\s+(?:is|are|may\s+be|may\s+contain|contains?)\b[^.]{0,80}\b(?:confidential|privileged|intended)
          | the\s+information\s+(?:contained\s+)?in\s+this\s+(?:e-?mail|message|communication)
          | if\s+you\s+(?:are\s+not|have\s+received\s+this)\s+.{0,40}(?:intended\s+recipient|in\s+error|by\s+mistake)
          | nhsmail\s+is\s+the\s+secure\s+email
          | this\s+(?:e-?mail|message)\s+(?:has\s+been\s+)?(?:scanned|originated\s+from\s+outside)
        )",
    )
    .expect("disclaimer regex is valid")
});

/// A rule of asterisks, equals signs, dashes or underscores (10 or more).
static RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[*=_-]{10,}\s*$").expect("rule regex is valid"));

/// Inline image placeholders Outlook leaves in the text part: "[cid:image001.png@01DA…]".
static CID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[cid:[^\]\s]*\]").expect("cid regex is valid"));

/// Windows time-zone labels ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London"): a setting,
/// not a place the sender is in.
static TIME_ZONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?:UTC|GMT)\s*(?:[+\-−]\s*\d{1,2}:\d{2})?\)[^\n.;]*")
        .expect("time zone regex is valid")
});

/// A forwarded message found inline in a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forwarded {
    /// What the forwarder wrote above the forwarded message.
    pub cover: String,
    pub from_name: Option<String>,
    pub from_address: Option<String>,
    pub subject: Option<String>,
    /// The forwarded message's text (below its header block).
    pub text: String,
}

static NAME_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?P<name>.*?)\s*[<\[](?:mailto:)?(?P<addr>[^\s<>\[\]@]+@[^\s<>\[\]]+)[>\]]\s*$|^\s*(?:mailto:)?(?P<bare>[^\s<>@]+@[^\s<>]+)\s*$")
        .expect("name address regex is valid")
});

/// Finds the first forwarded message in a body: a forward marker or an Outlook rule followed
/// by a header block (From:, Sent:, To:, Subject: in the languages above), the message below.
pub fn split_forward(body: &str) -> Option<Forwarded> {
    let body = crlf_to_lf(body);
    let lines: Vec<&str> = body.lines().collect();
    let start = (0..lines.len()).find(|&i| {
        let t = lines[i].trim();
        (BANNER.is_match(t)
            || FORWARD_MARKER.is_match(t)
            || RULE.is_match(t)
            || FROM_FIELD.is_match(t))
            && header_block_at(&lines, i).is_some()
    })?;
    let (from_line, end) = header_block_at(&lines, start)?;
    let mut out = Forwarded {
        cover: lines[..start].join("\n").trim().to_string(),
        ..Default::default()
    };
    for line in &lines[from_line..end] {
        if let Some(caps) = FROM_FIELD.captures(line) {
            if out.from_address.is_none() && out.from_name.is_none() {
                let value = caps.name("value").map(|m| m.as_str()).unwrap_or("");
                match NAME_ADDRESS.captures(value) {
                    Some(c) => {
                        out.from_address = c
                            .name("addr")
                            .or_else(|| c.name("bare"))
                            .map(|m| m.as_str().to_string());
                        out.from_name = c
                            .name("name")
                            .map(|m| m.as_str().trim().trim_matches('"').trim().to_string())
                            .filter(|n| !n.is_empty());
                    }
                    None => out.from_name = Some(value.trim().to_string()),
                }
            }
        } else if let Some(caps) = SUBJECT_FIELD.captures(line) {
            out.subject = caps
                .name("value")
                .map(|m| m.as_str().trim().to_string())
                .filter(|s| !s.is_empty());
        }
    }
    out.text = lines[end..].join("\n").trim().to_string();
    Some(out)
}

/// A question that only asks the reader to deal with what is passed on: "could you answer
/// this?", "can someone help?", "any advice?", "thoughts?", "see below?", "can you reply to
/// her directly?".
static PASS_ON_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:answer\w*|respond\w*|repl(?:y|ies|ying|ied)|help|advise|advice|assist|thoughts|ideas|look\s+(?:at|into)|have\s+a\s+look|take\s+a\s+look|deal\s+with|get\s+back|below|above|attached|trail|thread|pass\s+(?:it|this|that|them)\s+on)\b")
        .expect("pass-on request regex is valid")
});

/// Whether a forwarder's own words (`own`, cleaned: the forward is quoted and left out) ask
/// a question of their own, not only that the one passed on be answered ("Please see below
/// from our DME. Can someone confirm how many FPT posts the Royal Sussex will have in 2027?"
/// asks its own; "could you answer this please?" does not).
pub fn asks_own_question(own: &str) -> bool {
    sentences(own)
        .iter()
        .filter(|s| s.ends_with('?'))
        .any(|s| !PASS_ON_REQUEST.is_match(s))
}

/// Whether every sentence of a forwarder's words that asks anything, marked or not ("I'd be
/// grateful if you could clarify so I can reply to her."), only asks that the question
/// passed on be answered: it says so and asks no "what", "how", "whether" … of its own.
fn only_passes_on(own: &str) -> bool {
    sentences(own).iter().all(|s| {
        let asks = s.ends_with('?') || UNMARKED_QUESTION.is_match(s) || WANTS_TO_KNOW.is_match(s);
        !asks
            || (PASS_ON_REQUEST.is_match(s)
                && !crate::text::tokenize(s)
                    .iter()
                    .any(|w| WH_WORDS.contains(&w.as_str())))
    })
}

/// A short note that only passes on a question written below it ("forwarding this from my
/// friend, could you answer please?", "see below", "asked me about the below", "FYI", "Can
/// you answer this one for her please?", "Please could you reply to Tom on this?", "One of my
/// trainees sent me this", "so I can pass it on", "so I can reply to her", "Passing on a
/// question from one of our IMT3s", "Would you mind replying to her directly?").
static COVER_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(forward\w*|passing\s+(?:this|it)\s+on|passing\s+on\s+(?:a|this|the|her|his|their|some)\s+(?:question|query|message|email)|see\s+below|(?:question|message|email)\s+below|below\s+(?:question|message|email)|the\s+below|fyi|(?:please|pls|plz|kindly)\s+advise|(?:can|could|would|will)\s+(?:you|someone|u)\s+(?:please\s+|kindly\s+)?(?:answer|reply|respond|help)|answer\s+(?:this|these|her|him|them)|reply\s+to\s+\w+\s+on\s+this|(?:sent|asked|emailed|messaged|passed)\s+(?:me|us)\s+(?:this|these|the\s+(?:below|following|question|message|email)\b)|(?:pass|passing|send|sending|sent)\s+(?:it|this|that|these)\s+(?:on|over|across)|(?:asked|wanted|told)\s+me\s+to\s+(?:send|forward|pass)|(?:reply|replying|respond|responding|get\s+back|getting\s+back)\s+to\s+(?:her|him|them)\b|(?:would|do)\s+you\s+mind\s+(?:answering|replying|responding|getting\s+back)\b)\b")
        .expect("cover note regex is valid")
});

/// A sender saying they will pass on what they were sent: "Thanks, will pass this on to my
/// colleague", "I'll forward this to my ES". It thanks for an answer and says what comes next;
/// it passes nothing on to us, so it is no cover note ([`COVER_NOTE`]).
static WILL_PASS_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:will|['’]ll|going\s+to|shall)\s+(?:\w+\s+)?(?:pass|forward|send|share)\w*\s+(?:it|this|that|these|them|your\s+\w+|the\s+\w+)(?:\s+(?:on|over|across))?")
        .expect("will pass on regex is valid")
});

/// A web form's field about the person, one to a line: "Name: Dr Ayesha Siddiqui", "Email:
/// a@example.org", "Grade: ST4", "Specialty: Geriatric medicine", "Hospital: …", "Submitted:
/// …" (a short value, no question mark).
static FORM_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:full|first|last|your)\s+name|name|surname|e-?mail(?:\s+address)?|your\s+e-?mail|(?:tele)?phone(?:\s+number)?|tel|mobile|contact\s+number|(?:current\s+|training\s+)?grade|stage\s+of\s+training|specialt(?:y|ies)|speciality|region|deanery|local\s+office|trust|employer|organi[sz]ation|hospital|workplace|job\s+title|role|position|gmc(?:\s+(?:number|no\.?))?|date|submitted(?:\s+(?:on|at))?|time|ip(?:\s+address)?|page(?:\s+url)?|url|referrer|form(?:\s+name)?|source|consent|from|subject|topic)\s*:\s*[^?\s][^?]{0,100}$")
        .expect("form field regex is valid")
});

/// A web form's label of what the person wrote: "Enquiry: …", "Message: …", "Your question:
/// …", "How can we help?: …". The capture is their words (empty when they start below).
static FORM_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:your\s+)?(?:enquiry|inquiry|message(?:\s+body)?|question|query|comments?|details|enquiry\s+details|how\s+can\s+we\s+help(?:\s+you)?\??)\s*:\s*(.*)$")
        .expect("form message regex is valid")
});

/// A web form's own notice: "A new enquiry has been submitted via the website.", "This
/// message was generated automatically by the contact form."
static FORM_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:a\s+)?new\s+(?:enquiry|inquiry|submission|message|form\s+submission|contact\s+form\s+submission)\b.{0,60}\b(?:submitted|received)\b|^this\s+(?:message|e-?mail|notification)\s+(?:was|has\s+been)\s+(?:generated|sent)\s+(?:automatically\s+)?(?:by|from|via)\s+.{0,80}\bform\b")
        .expect("form notice regex is valid")
});

/// A sentence (or a whole message) that only asks after the reader, as a greeting does: "how
/// are you?", "hi, how r u", "how's it going all", "hope you're well!"; or chats with the
/// reader about themselves: "are you a real person or a bot? 😂", "what's the weather like
/// where you are lol", "how was your weekend?", "do you enjoy working on this?".
pub(crate) static ASKS_AFTER_YOU: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:hi|hey|hello|hiya|morning|evening|afternoon)(?:\s+(?:all|team|everyone|there))?\W+)?(?:(?:so|ok|okay|wait|lol|haha)\W+)?(?:how\s+(?:are|r)\s+(?:you|u|ya|we|things|everyone)(?:\s+(?:all|doing|today|guys))?|how['’]?s\s+(?:it\s+going|things|everyone|every1|you|u)(?:\s+(?:all|guys|today))?|hope\s+(?:you|u)(?:['’]re|\s+are|\s+r|r)\s+(?:well|ok|okay|good)(?:\s+(?:all|today))?|(?:are|r)\s+(?:you|u)\s+(?:a\s+|an\s+)?(?:real\s+)?(?:person|human|bot|robot|ai|machine|chatbot)(?:\s+or\s+(?:a\s+|an\s+)?(?:real\s+)?(?:person|human|bot|robot|ai|machine|chatbot))?|(?:is\s+this|am\s+i\s+(?:talking|chatting|speaking)\s+to)\s+(?:a\s+|an\s+)?(?:real\s+)?(?:person|human|bot|robot|ai|machine|chatbot)(?:\s+or\s+(?:a\s+|an\s+)?(?:real\s+)?(?:person|human|bot|robot|ai|machine|chatbot))?|what['’]?s\s+the\s+weather\s+(?:like\s+)?(?:where\s+(?:you|u)\s+are|there|with\s+(?:you|u))|how\s+was\s+(?:your|ur)\s+(?:weekend|wkend|week|day|holiday|break|christmas)|do\s+(?:you|u)\s+(?:enjoy|like|love)\s+(?:working\s+(?:on|here|there)\s*(?:this|it)?|your\s+job|(?:doing\s+)?this|it|what\s+(?:you|u)\s+do))(?:\s+(?:then|today|lol|haha))?[\s?!.,😊🙂😂🤣😅x]*(?:(?:lol|haha+)[\s?!.,😊🙂😂🤣😅]*)?$")
        .expect("asks-after-you regex is valid")
});

/// A statement about the person addressed with a tag asking them to agree: "Dan - you're on
/// that portfolio thing aren't you?", "you did FPT last year, didn't you?". It asks the reader
/// about themselves, which in a forwarded mail is the colleague it was first sent to.
static ADDRESSEE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:you|u)\b[^?]*[\s,]+(?:aren['’]?t|don['’]?t|didn['’]?t|haven['’]?t|weren['’]?t|won['’]?t|can['’]?t)\s+(?:you|u)\s*\?+\W*$")
        .expect("addressee tag regex is valid")
});

/// Whether a sentence asks the reader about themselves ([`ASKS_AFTER_YOU`], [`ADDRESSEE_TAG`]):
/// beside a question of the enquiry's own it is not one.
fn asks_the_reader(sentence: &str) -> bool {
    ASKS_AFTER_YOU.is_match(sentence) || ADDRESSEE_TAG.is_match(sentence)
}

/// A sender saying nothing is asked of us: "no action needed", "for your records", "no need
/// to reply", "for information only". A forward under such a note passes nothing on, and such
/// a message with no question of its own needs no answer.
pub static NO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:no\s+action\s+(?:is\s+)?(?:needed|required|necessary)|no\s+need\s+(?:to|for\s+you\s+to)\s+(?:reply|respond|action|do\s+anything)|no\s+(?:reply|response)\s+(?:is\s+)?(?:needed|required|necessary)|nothing\s+(?:is\s+)?(?:needed|required)\s+(?:from|of)\s+you|for\s+your\s+(?:records|files|reference)|for\s+(?:info|information)\s+only|just\s+for\s+(?:info|information|your\s+information|reference))\b")
        .expect("no-action regex is valid")
});

/// A sender carrying on their own thread: "Follow-up to the below", "Further to my email
/// below", "Following up on the below". What they write is their own — a new question
/// ("Follow-up to the below: if I start on research …, can I switch …?"), a chaser ("any
/// news?"), thanks — and the quote below is the thread, not a question passed on (no cover
/// note, [`forwarded_question`]).
static FOLLOWS_UP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bfollow(?:ing)?[\s-]*up\s+(?:to|on|from)\b|\bfurther\s+to\b")
        .expect("follows-up regex is valid")
});

/// Words a cover note with a question of its own may have ("forwarding this from my friend,
/// could you answer please?"): more, and the forwarder is asking something themselves.
const MAX_COVER_NOTE_WORDS: usize = 20;

/// Words a cover note may have when every question in it only asks that the forwarded one be
/// answered ([`only_passes_on`]) ("A colleague asked me this and I realised I couldn't answer it with any
/// confidence either. Would you mind letting me know so I can pass it on?").
const MAX_COVER_WORDS: usize = 40;

/// The question a forwarder passes on when their own words are only a cover note: the text
/// below a forward banner ("---------- Forwarded message ---------", "Begin forwarded
/// message:"), with quote marks, header fields and "On … wrote:" lines taken out and then
/// cleaned like any message. `own` is the forwarder's cleaned text: empty (a bare forward)
/// or a cover note. `None` when the forwarder wrote more than a cover note (no cover phrase,
/// over [`MAX_COVER_WORDS`] words, or over [`MAX_COVER_NOTE_WORDS`] when they ask a question
/// of their own), nothing was forwarded, or what was forwarded is a reply that asks nothing
/// (the subject forwards a reply: "Fwd: Re: …"; an answer shared on).
///
/// `subject` is the message's subject. When it marks a reply ([`super::subject::is_reply`]: "Re: How
/// long is FPT"), an empty `own` above an "Original Message" banner is a reply whose words
/// were all a sign-off ("Thanks!" above Outlook's or Android's quote of our answer), not a
/// forward, and our own quoted answer is never read as a question: only a banner that says it
/// forwards counts then. When `own` is a cover note, or the subject marks a forward ("FW:",
/// "Fwd:"), the passed-on text may also start at any quote: an Outlook header block under a
/// rule of underscores, or Apple's "On … wrote:".
pub fn forwarded_question(body: &str, own: &str, subject: &str) -> Option<String> {
    let bare = own.trim().is_empty();
    let words = own.split_words().count();
    if !bare
        && (words > MAX_COVER_WORDS
            || (words > MAX_COVER_NOTE_WORDS && !only_passes_on(own))
            // "Would you mind replying to him directly? I'd also like to know myself whether
            // FPT pushes CCT back.": a question of the forwarder's own, however short
            // ("Could you let me know so I can get the rota right?", "can you clarify?" ask
            // that the question below be answered: no question word of their own)
            || sentences(own).iter().any(|s| {
                WANTS_TO_KNOW.is_match(s)
                    && !PASS_ON_REQUEST.is_match(s)
                    && crate::text::tokenize(s)
                        .iter()
                        .any(|w| WH_WORDS.contains(&w.as_str()))
            })
            || !COVER_NOTE.is_match(&WILL_PASS_ON.replace_all(own, ""))
            || NO_ACTION.is_match(own)
            || FOLLOWS_UP.is_match(own))
    {
        return None;
    }
    let reply = super::subject::is_reply(subject);
    let forward = super::subject::is_forward(subject);
    let body = crlf_to_lf(body);
    let lines: Vec<&str> = body.lines().collect();
    let start = lines
        .iter()
        .position(|l| {
            let t = l.trim();
            // (lower-cased only for a banner line)
            let banner_says = || {
                let lower = t.to_lowercase();
                lower.contains("forward")
                    || (lower.contains("original message") && !(bare && reply))
            };
            FORWARD_MARKER.is_match(t) || (BANNER.is_match(t) && banner_says())
        })
        .or_else(|| {
            (!bare || forward)
                .then(|| (0..lines.len()).find(|&i| is_quote_start(&lines, i)))
                .flatten()
        })
        .map(|banner| banner + 1)
        // "Forwarding a question from a colleague - can you reply to me?" over "> Hi, is FPT
        // open to IMT trainees?": a cover note over lines quoted with ">" and nothing to head
        // them passes those lines on when they ask (a claim quoted to be confirmed, "Can you
        // confirm or deny the below?", is the cover note's own question)
        .or_else(|| {
            let first = lines.iter().position(|l| l.trim_start().starts_with('>'))?;
            let quoted_asks = lines[first..]
                .iter()
                .filter(|l| l.trim_start().starts_with('>'))
                .any(|l| l.contains('?'));
            (!bare && quoted_asks).then_some(first)
        })?;
    let below: Vec<&str> = lines[start..]
        .iter()
        .map(|l| l.trim_start().trim_start_matches(['>', ' ']))
        .filter(|l| {
            !FROM_FIELD.is_match(l)
                && !OUTLOOK_FIELD.is_match(l)
                && !WROTE_LINE.is_match(l.trim_end())
        })
        .collect();
    let text = clean_message(&below.join("\n")).text;
    // "Fwd: Re: FPT info" passing on "Hi Sophie, FPT gives you a protected day …": an answer
    // the forwarder was sent, shared on, asks nothing of us
    if super::subject::forwards_a_reply(subject)
        && !text.contains('?')
        && !asks_unmarked(&text)
        && !WANTS_TO_KNOW.is_match(&text)
    {
        return None;
    }
    (!text.trim().is_empty()).then_some(text)
}

/// When a header block (From: plus at least one other field) starts at or just below line
/// `i`: the index of its From: line and of the first line after the block.
fn header_block_at(lines: &[&str], i: usize) -> Option<(usize, usize)> {
    let from = (i..lines.len().min(i + 3)).find(|&k| FROM_FIELD.is_match(lines[k]))?;
    if from > i
        && !lines[i..from].iter().all(|l| {
            let t = l.trim();
            t.is_empty() || BANNER.is_match(t) || FORWARD_MARKER.is_match(t) || RULE.is_match(t)
        })
    {
        return None;
    }
    let mut end = from + 1;
    let mut fields = 0;
    while end < lines.len() && !lines[end].trim().is_empty() {
        if OUTLOOK_FIELD.is_match(lines[end]) {
            fields += 1;
        }
        end += 1;
    }
    (fields > 0).then_some((from, end))
}

/// Takes a message body and returns only what the sender wrote for this enquiry.
pub fn clean_message(body: &str) -> CleanText {
    let body = line_breaks_to_lf(body);
    // a dictated message's spoken marks ("question mark", "new line") as marks first: its
    // sign-off and questions are found by them
    let body = super::dictation::spoken_punctuation(&body);
    let body = CID.replace_all(&body, "");
    let body = TIME_ZONE.replace_all(&body, "");
    let lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut quoted = false;
    let mut quoted_lines: Vec<&str> = Vec::new();
    let mut signature_lines: Vec<&str> = Vec::new();

    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.starts_with('>') {
            quoted = true;
            quoted_lines.push(trimmed.trim_start_matches(|c: char| c == '>' || c.is_whitespace()));
            i += 1;
            continue;
        }
        if trimmed == "--" || line == "-- " {
            // the conventional signature separator: everything below is signature
            signature_lines.extend(&lines[i + 1..]);
            break;
        }
        if MOBILE_FOOTER.is_match(trimmed) {
            i += 1;
            continue;
        }
        if let Some(end) = interleaved_quote(&lines, i) {
            // "On … wrote:" over a "> " block with the sender's words below it (a reply
            // written under the quote): the attribution and the block are quoted, the words
            // below are the sender's
            quoted = true;
            quoted_lines.extend(lines[i..end].iter().map(|l| {
                l.trim()
                    .trim_start_matches(|c: char| c == '>' || c.is_whitespace())
            }));
            i = end;
            continue;
        }
        if is_quote_start(&lines, i) && !is_form_header(&lines, i, &kept) {
            quoted = true;
            quoted_lines.extend(lines[i..].iter().map(|l| {
                l.trim()
                    .trim_start_matches(|c: char| c == '>' || c.is_whitespace())
            }));
            break;
        }
        if is_disclaimer_start(&lines, i) && kept.iter().any(|l| !l.trim().is_empty()) {
            break;
        }
        kept.push(line);
        i += 1;
    }

    // A web form's relay: its "Name: …", "Email: …", "Grade: …" lines and its notices ("A new
    // enquiry has been submitted…") are furniture, kept with the signature (where the region
    // finder still reads a "Hospital: …"); "Enquiry: …" only labels what the person wrote.
    let form_fields = kept
        .iter()
        .filter(|l| FORM_FIELD.is_match(l.trim()))
        .count();
    let labelled = kept.iter().any(|l| FORM_MESSAGE.is_match(l.trim()));
    if form_fields >= 2 || (form_fields == 1 && labelled) {
        let mut words = Vec::with_capacity(kept.len());
        for line in kept {
            let t = line.trim();
            if FORM_FIELD.is_match(t) || FORM_NOTICE.is_match(t) {
                signature_lines.push(t);
            } else if let Some(said) = FORM_MESSAGE.captures(t).and_then(|c| c.get(1)) {
                words.push(said.as_str());
            } else {
                words.push(line);
            }
        }
        kept = words;
    }

    // Sign-off: the last short line that starts with a closing phrase, looking only at the end.
    let mut signed_name = None;
    let non_empty: Vec<usize> = (0..kept.len())
        .filter(|&k| !kept[k].trim().is_empty())
        .collect();
    let tail_start = non_empty.len().saturating_sub(8);
    let mut signed_off = false;
    for &k in &non_empty[tail_start..] {
        let line = kept[k].trim();
        if let Some(caps) = SIGN_OFF.captures(line) {
            let name = caps.name("name").map(|m| m.as_str().trim()).unwrap_or("");
            if says_more_than_thanks(name) {
                // "Thanks, I'd like to withdraw": the sender's words, not a closing
                continue;
            }
            let after: Vec<&str> = kept[k + 1..]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            // A sign-off closes the message: few short lines may follow it (name, role, trust),
            // perhaps as fields of one line ("Dr Sunita Patel | ST5 Renal Medicine |
            // University Hospitals Birmingham NHS Foundation Trust")
            let short = |l: &&str| {
                !l.ends_with('?')
                    && l.split(['|', '•', '·'])
                        .all(|field| field.trim().len() <= MAX_SIGNATURE_FIELD)
            };
            if after.len() <= 6 && after.iter().all(short) {
                // (after "Thanks for any help you can give," the name is on the next line)
                let candidate = if name.is_empty() || !looks_like_name(name) {
                    after.first().copied().unwrap_or("")
                } else {
                    name
                };
                if looks_like_name(candidate) {
                    signed_name = Some(candidate.trim_end_matches([',', '.']).to_string());
                }
                let mut sig: Vec<&str> = vec![line];
                sig.extend(after);
                sig.extend(signature_lines.iter().copied());
                signature_lines = sig;
                kept.truncate(k);
                signed_off = true;
                break;
            }
        }
    }
    // A bare name on its own line after the last sentence ("…?\nCamille"), perhaps with a
    // line or two of role and place under it ("Owen Price\nTPD Acute Medicine"), signs the
    // message too.
    if !signed_off {
        let non_empty: Vec<usize> = (0..kept.len())
            .filter(|&k| !kept[k].trim().is_empty())
            .collect();
        // (an emoji ends a sentence as a full stop does: "thanks so much! 🙏\nMaya")
        let ended = non_empty.iter().rposition(|&k| {
            kept[k]
                .trim()
                .ends_with(|c: char| matches!(c, '?' | '.' | '!') || is_emoji_like(c))
        });
        // … or, written on a phone without a full stop, the last paragraph after a blank
        // line ("…anything diff with their supervision\n\nRaj Patel\nConsultant Physician")
        let paragraph = (1..non_empty.len())
            .rev()
            .find(|&p| non_empty[p] > non_empty[p - 1] + 1);
        let short = |k: usize, words: usize, chars: usize| {
            let line = kept[k].trim();
            line.split_words().count() <= words
                && line.chars().count() <= chars
                && !line.ends_with(['?', ':', '!'])
                // ("Dr Priya N.": a name that ends with an initial)
                && (!line.ends_with('.') || ends_with_initial(line))
        };
        let signs = |block: &[usize]| {
            block.split_first().is_some_and(|(&first, rest)| {
                block.len() <= 3
                    && short(first, 3, 40)
                    && looks_like_name(kept[first].trim())
                    && rest.iter().all(|&k| short(k, MAX_ROLE_WORDS, 60))
            })
        };
        // (a paragraph signs only after one that asks, and only with a name that has no
        // acronym in it: "Hi\n\nHandbook Please", "…says no\n\nNeed Advice Urgently" and
        // "FPT Contact Email" are what the sender wants)
        let asks_before = |from: usize| {
            non_empty[..from].iter().any(|&k| {
                let line = kept[k];
                line.contains('?')
                    || HOLDS_A_QUESTION.is_match(line)
                    || UNMARKED_QUESTION.is_match(line)
            })
        };
        let plain_name = |k: usize| {
            !kept[k].split_words().any(|w| {
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && w.chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase)
            })
        };
        let block = ended
            .map(|e| e + 1)
            .into_iter()
            .chain(paragraph.filter(|&p| asks_before(p) && plain_name(non_empty[p])))
            .map(|from| &non_empty[from..])
            .find(|block| signs(block));
        if let Some(block) = block {
            let first = block[0];
            signed_name = Some(kept[first].trim().trim_end_matches(',').to_string());
            let mut sig: Vec<&str> = block.iter().map(|&k| kept[k].trim()).collect();
            sig.extend(signature_lines.iter().copied());
            signature_lines = sig;
            kept.truncate(first);
        }
    }

    let mut text = kept.join("\n").trim().to_string();
    // "@fpt-bot who do i email", "hey @sam, …": the names a chat message is addressed to,
    // before or after a greeting
    text = strip_desk_mentions(&text);
    text = strip_addressees(&strip_greeting(strip_addressees(&text))).to_string();
    text = strip_thanks_line(&text);
    CleanText {
        text: text.trim().to_string(),
        signature: signature_lines.join("\n").trim().to_string(),
        signed_name,
        quoted,
        quoted_text: bounded_lines(quoted_lines),
    }
}

/// A web form's "From: <the person>" and "Subject: …" lines opening the body (WordPress's
/// Contact Form 7 writes them so), not a quoted mail's header: nothing above them, and no
/// `Sent:`, `Date:`, `To:` or `Cc:` among them, which every mail client's quote header has.
fn is_form_header(lines: &[&str], i: usize, kept: &[&str]) -> bool {
    if !FROM_FIELD.is_match(lines[i].trim()) || kept.iter().any(|l| !l.trim().is_empty()) {
        return false;
    }
    let block = lines[i + 1..]
        .iter()
        .map(|l| l.trim())
        .take_while(|l| !l.is_empty());
    let mut subject = false;
    for l in block {
        if QUOTE_HEADER_ONLY.is_match(l) {
            return false;
        }
        subject |= FORM_SUBJECT.is_match(l);
    }
    subject
}

/// Fields only a quoted mail's header has (a form's relay has From and Subject alone).
static QUOTE_HEADER_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\*?(?:sent|date|to|cc|gesendet|datum|an|envoyé|envoye|à|enviado|para|verzonden|aan|inviato|da|skickat|till)\s*:").expect("quote header regex is valid")
});

static FORM_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^subject\s*:").expect("form subject regex is valid"));

fn is_disclaimer_start(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    if DISCLAIMER.is_match(line) {
        return true;
    }
    // a rule of stars or equals signs with a notice just below it
    RULE.is_match(line)
        && lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .is_some_and(|l| DISCLAIMER.is_match(l))
}

/// When line `i` starts an attribution ("On Thu, 12 Nov 2026 at 10:00, FPT <…> wrote:", on
/// one line or two) followed by a block of "> " lines and then, after it, words of the
/// sender's own that are not another quote: the index just past the "> " block.
fn interleaved_quote(lines: &[&str], i: usize) -> Option<usize> {
    let line = lines[i].trim();
    if !ATTRIBUTION_START.is_match(line) || !is_quote_start(lines, i) {
        return None;
    }
    // the attribution may be wrapped over two lines
    let mut k = i + 1;
    if !WROTE_LINE.is_match(line) {
        k += 1;
    }
    while k < lines.len() && lines[k].trim().is_empty() {
        k += 1;
    }
    if !lines.get(k)?.trim_start().starts_with('>') {
        return None;
    }
    while k < lines.len() && (lines[k].trim_start().starts_with('>') || lines[k].trim().is_empty())
    {
        k += 1;
    }
    let own_below = lines[k..]
        .iter()
        .take_while(|l| !l.trim_start().starts_with('>'))
        .enumerate()
        .any(|(n, l)| !l.trim().is_empty() && !is_quote_start(&lines[k..], n));
    own_below.then_some(k)
}

fn is_quote_start(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    if line.is_empty() {
        return false;
    }
    // "… wrote:" with a date, a time or an address in it, or after "On"/"Le"/"Am"…: not
    // "Here is what my supervisor wrote:"
    if WROTE_LINE.is_match(line)
        && line.chars().count() <= 250
        && (ATTRIBUTION_START.is_match(line)
            || line.contains('@')
            || line.chars().any(|c| c.is_ascii_digit()))
    {
        return true;
    }
    if ATTRIBUTION_START.is_match(line) && line.chars().count() <= 200 {
        // 'On Mon, 3 Oct 2022 at 10:00, FPT <x@y>' wrapped before 'wrote:'
        return lines
            .get(i + 1)
            .is_some_and(|next| WROTE_LINE.is_match(next.trim()) && next.len() < 120);
    }
    // (a banner that names no message and heads no header block is the sender's own
    // decoration: "--- my question ---" over the question itself)
    if FORWARD_MARKER.is_match(line)
        || (BANNER.is_match(line)
            && (BANNER_NAMES_MESSAGE.is_match(line)
                || lines[i + 1..]
                    .iter()
                    .take(4)
                    .any(|l| FROM_FIELD.is_match(l.trim()) || OUTLOOK_FIELD.is_match(l))))
    {
        return true;
    }
    if FROM_FIELD.is_match(line) {
        // an Outlook header block: From: followed by Sent:/Date:/To:/Subject: lines
        return lines[i + 1..]
            .iter()
            .take(4)
            .any(|l| OUTLOOK_FIELD.is_match(l));
    }
    if line.len() >= 8 && line.chars().all(|c| c == '_') {
        return lines[i + 1..]
            .iter()
            .take(3)
            .any(|l| FROM_FIELD.is_match(l));
    }
    false
}

/// A pictograph or other symbol outside ASCII that is no letter or digit (emoji, their
/// variation selectors and joiners).
fn is_emoji_like(c: char) -> bool {
    !c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace()
}

/// Whether `line` ends with an initial and its full stop ("Dr Priya N.", "J. K."): a name's
/// end, not a sentence's.
fn ends_with_initial(line: &str) -> bool {
    line.split_words().next_back().is_some_and(|w| {
        let mut chars = w.chars();
        matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
    })
}

fn looks_like_name(s: &str) -> bool {
    let s = s.trim();
    let words: Vec<&str> = s.split_words().collect();
    !s.is_empty()
        && words.len() <= 5
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        })
        && s.chars().any(|c| c.is_alphabetic())
        && !s.contains('@')
}

/// Words that may follow a closing phrase on its line without saying anything of their own
/// ("Thanks again for all your help", "Many thanks, much appreciated!", "Merci pour votre aide").
#[rustfmt::skip]
const PLEASANTRY: &[&str] = &[
    "for", "your", "the", "all", "and", "so", "very", "much", "a", "lot", "again", "in",
    "advance", "help", "helping", "reply", "replying", "response", "answer", "email", "e",
    "mail", "message", "info", "information", "time", "support", "assistance", "quick",
    "prompt", "kind", "kindly", "this", "that", "it", "you", "everything", "appreciated",
    "really", "greatly", "as", "always", "ever", "best", "regards", "wishes", "kindest",
    "warm", "warmest", "with", "cheers", "thanks", "thank", "many", "once", "more", "of",
    // the other languages' "for your help/reply"
    "für", "ihre", "deine", "hilfe", "antwort", "pour", "votre", "ton", "aide", "réponse",
    "por", "su", "tu", "ayuda", "respuesta", "per", "la", "vostra", "tua", "aiuto",
    "risposta", "voor", "uw", "je", "hulp", "antwoord", "pela", "pelo", "sua", "ajuda",
    "resposta", "za", "pomoc", "odpowiedź", "am", "eich", "ateb", "help", "yn", "fawr",
    "iawn", "d", "avance", "beaucoup", "mille", "wel", "sehr", "schön", "earlier", "yesterday",
    "today", "last", "week", "on", "my", "query", "question", "enquiry", "to", "me", "us",
    // "for any help you can give", "for any advice you are able to offer"
    "any", "can", "could", "give", "provide", "offer", "are", "able", "advice", "guidance",
    "input",
];

/// Whether what follows a closing phrase on its line ("Thanks, <this>") is the sender's own
/// words rather than a name or more thanks: "Thanks - I'd still like to know about pay",
/// "Thank you, but I asked about pensions". A name ("Thanks, Priya Shah") or a pleasantry
/// ("Thanks so much, much appreciated!") is not.
fn says_more_than_thanks(rest: &str) -> bool {
    let rest = rest.trim();
    if rest.is_empty() || (looks_like_name(rest) && !starts_with_i(rest)) {
        return false;
    }
    rest.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .any(|w| {
            let lower = w.to_lowercase();
            let word = lower.trim_matches(['\'', '’']);
            // a capitalised word is a name ("for your help, Jo"); "I" is the sender speaking
            let name = w.chars().next().is_some_and(char::is_uppercase) && !is_i(word);
            !name && !PLEASANTRY.contains(&word)
        })
}

/// "I", "I'd", "I’m", …: the sender speaking, never a name.
fn is_i(word: &str) -> bool {
    word == "i" || word.starts_with("i'") || word.starts_with("i’")
}

fn starts_with_i(text: &str) -> bool {
    text.trim_start_matches(|c: char| !c.is_alphanumeric())
        .split_words()
        .next()
        .is_some_and(|w| is_i(&w.to_lowercase()))
}

/// Words that never address anyone (besides "I" in any form, [`is_i`]): after "hi" they
/// start the message itself ("hi im st4 at derriford, …", "hello from Leeds, …"), which must
/// keep its words (a place among them).
const NOT_ADDRESSING: [&str; 17] = [
    "im", "ive", "am", "is", "are", "was", "my", "at", "in", "from", "here", "we", "have", "got",
    "just", "do", "can",
];

/// The names a chat message opens by addressing, typed as handles: "@fpt-bot", "@sam.k",
/// Discord's "<@123>" and "<@!123>", one or more, each followed by optional punctuation
/// (",", ":", "-"), after an optional greeting word ("hey @sam, …").
static ADDRESSEES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:hi|hey|hello|hiya|yo|morning)\s+)?(?:(?:@[\w.-]+|<@!?\d+>)\s*[,:;–—-]?\s*)+")
        .expect("addressees regex is valid")
});

/// The help desk's handle as typed: "@FPTbot", "@fpt-bot", "@FPT team", "@admin",
/// "@helpdesk" (the names [`crate::ignore`] reads as the desk's).
const DESK_HANDLE: &str = r"@(?:(?:fpt|flexible|bot|help|helpdesk|admin|admins|support)\b[\w.-]*|[\w.-]*bot\b)(?:\s+(?:bot|team)\b)?";

/// A mention of the help desk itself anywhere in a message, typed as a handle: "@FPTbot",
/// "@fpt-bot", "@FPT team", "@admin", "@helpdesk" (the names [`crate::ignore`] reads as the
/// desk's). The Discord adapter takes out the bot's own mention and tells triage it was there
/// the same way.
static DESK_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?:^|[\s(\[,;:]){DESK_HANDLE}")).expect("desk-mention regex is valid")
});

/// A desk mention where a message is addressed ([`DESK_MENTION`] at the start of the text or
/// of a line, or closing the text): "@FPTbot who runs fpt now?", "… pathway?\n@FPTbot", "…
/// any ideas? @fpt-bot". Not one inside a sentence ("I asked @FPTbot and it said …", "did
/// you ask @FPTbot yet?"), which speaks of the desk to someone else.
static DESK_ADDRESSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?im)^[^\S\n]*{DESK_HANDLE}|(?-m:(?:^|[\s(\[,;:]){DESK_HANDLE}\W*\z)"
    ))
    .expect("desk-addressed regex is valid")
});

/// Whether `text` calls on the help desk by a handle where a message is addressed
/// ([`DESK_ADDRESSED`]): "anyone know if u need research exp for the research pathway?
/// @FPTbot", "@jess no idea\n@FPTbot who runs fpt now?". A message that does is asked of
/// the desk, whoever else it speaks to.
pub fn calls_on_the_desk(text: &str) -> bool {
    text.contains('@') && DESK_ADDRESSED.is_match(text)
}

/// `text` without its mentions of the help desk ([`DESK_MENTION`]): whom a message is put to
/// is not what it asks. Kept as it is when nothing else is left.
fn strip_desk_mentions(text: &str) -> String {
    if !text.contains('@') || !DESK_MENTION.is_match(text) {
        return text.to_string();
    }
    let stripped = DESK_MENTION.replace_all(text, |caps: &regex::Captures<'_>| {
        // keep the space or bracket the mention followed
        caps[0]
            .chars()
            .next()
            .filter(|&c| c != '@')
            .map(String::from)
            .unwrap_or_default()
    });
    let stripped = stripped.trim();
    if stripped.chars().any(char::is_alphanumeric) {
        stripped.to_string()
    } else {
        text.to_string()
    }
}

/// Words that open a message as a name would but are not one: question words, auxiliaries
/// and pronouns ("How do you apply…"), greetings, thanks, apologies, fillers and adverbs
/// ("Honestly can you…", "Anyway can you…"), and the desk's or the room's own names.
static NOT_A_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:how|what|whats|when|where|why|who|which|whose|whom|is|are|am|was|were|can|could|would|will|did|do|does|have|has|had|should|shall|may|might|must|i|we|they|he|she|it|you|there|this|that|if|or|not|still|hi|hey|hiya|hello|dear|morning|thanks|thank|thx|cheers|sorry|also|and|so|but|ok|okay|please|pls|plz|quick|urgent|admin|admins|team|guys|all|everyone|anyone|someone|somebody|fpt|bot|help|yes|yeah|no|right|just|btw|oh|um|er|lol|q|question|query|hmm|well|then|now|today|again|maybe|sir|madam|doc|boss|apologies|apols|anyway|anyways|ps|kk|alright|sure|yep|excuse|pardon|folks|everybody|anybody|reg|registrar|mate|people|chat|channel|group|tomorrow|tonight|later|plus|first|next|last|[a-z]+ly)$")
        .expect("not-a-name regex is valid")
});

/// A first name a message opens by asking, with no "@": "Gill do u know how the pathways
/// are laid out?" (a question forwarded to us that was first put to Gill), "Sam, could you
/// tell me the deadline?", "Jess, who exactly is FPT aimed at". The name is capitalised and a
/// request put to "you", or after a comma a question word, follows;
/// [`NOT_A_NAME`] rules out the words that open a question the same way ("How do you…",
/// "Thanks, can you…").
static VOCATIVE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W*(?:(?:Dr|Prof|Mr|Mrs|Ms|Miss)\.?\s+)?(?P<name>[A-Z][a-z]{1,14})(?:(?:,\s*|\s+)(?:do|did|can|could|would|will|are|have)\s+(?:you|u)\b|,\s*(?:who|what|when|where|why|how|which)\b)")
        .expect("vocative name regex is valid")
});

/// `text` without the handles it opens by addressing ([`ADDRESSEES`]) or a first name it
/// opens by asking ([`VOCATIVE_NAME`]): whom a message is sent to is not what it asks. Kept
/// as it is when nothing follows them.
fn strip_addressees(text: &str) -> &str {
    let text = match ADDRESSEES.find(text) {
        Some(m) if !text[m.end()..].trim().is_empty() => &text[m.end()..],
        _ => text,
    };
    after_vocative_name(text).unwrap_or(text)
}

/// What follows the first name `text` opens by asking ([`VOCATIVE_NAME`]: "Jen can you send
/// me the rota" → "can you send me the rota"), or `None` when it opens with no such name.
pub(crate) fn after_vocative_name(text: &str) -> Option<&str> {
    let name = VOCATIVE_NAME.captures(text)?.name("name")?;
    (!NOT_A_NAME.is_match(name.as_str())).then(|| text[name.end()..].trim_start_matches([',', ' ']))
}

/// A greeting run into the first sentence with no comma, as phones and dictation write it:
/// "hi there i'm an st3 in respiratory …", "Hello I was wondering …", "hey so is FPT …".
/// Taken off only when the sender's own "I", a "so" or "just", or a question follows
/// ([`strip_greeting`]), or a name and then a question ("Hi Sam can you tell me …").
static RUN_IN_GREETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:hi|hello|hey|hiya|heya)(?:\s+(?:there|all|team|everyone|guys|folks|both|again))?\s+")
        .expect("run-in greeting regex is valid")
});

/// Words after which a run-in greeting ([`RUN_IN_GREETING`]) has ended: the sender speaking
/// of themselves, or a filler that opens a message.
const AFTER_RUN_IN_GREETING: [&str; 9] =
    ["i", "i'm", "i’m", "im", "i've", "i’ve", "so", "just", "my"];

fn strip_greeting(text: &str) -> String {
    if !GREETING.is_match(text) {
        if let Some(m) = RUN_IN_GREETING.find(text) {
            let rest = &text[m.end()..];
            let first = rest
                .split_words()
                .next()
                .map(str::to_lowercase)
                .unwrap_or_default();
            if rest.split_words().count() >= 3
                && (AFTER_RUN_IN_GREETING.contains(&first.as_str()) || opens_a_question(rest))
            {
                return rest.to_string();
            }
            // "Hi Sam can you tell me what FPT is?": the greeting and the name it calls
            if let Some(after) = after_vocative_name(rest).filter(|a| opens_a_question(a)) {
                return after.to_string();
            }
        }
    }
    match GREETING.find(text).filter(|m| {
        !m.as_str()
            .split(|c: char| c.is_whitespace() || c == ',' || c == '!' || c == ':')
            .skip_while(|w| w.is_empty())
            .skip(1)
            .map(str::to_lowercase)
            .any(|w| is_i(&w) || NOT_ADDRESSING.contains(&w.as_str()))
    }) {
        Some(m) => {
            let rest = &text[m.end()..];
            // 'Hi, is FPT offered …' → 'is FPT offered …'; keep the text if nothing follows.
            if rest.trim().is_empty() {
                text.to_string()
            } else {
                rest.trim_start().to_string()
            }
        }
        None => text.to_string(),
    }
}

/// Removes a first line (or sentence) that only thanks for an earlier reply, when something
/// follows it.
fn strip_thanks_line(text: &str) -> String {
    let first_end = text
        .find(['\n', '.', '!'])
        .map(|i| i + text[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(text.len());
    let (first, rest) = text.split_at(first_end);
    let only_thanks = THANKS_LINE
        .captures(first.trim().trim_end_matches(['.', '!']))
        .is_some_and(|c| {
            !c.name("after")
                .is_some_and(|a| says_more_than_thanks(a.as_str()))
        });
    if only_thanks && !rest.trim().is_empty() {
        rest.trim_start().to_string()
    } else {
        text.to_string()
    }
}

/// One question of a message, with the statements that lead up to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Statements before the question ("I'm a GP trainee."), which give it context.
    pub context: String,
    /// The question itself ("Can I apply?"), or the whole text when nothing ends in "?".
    pub question: String,
}

/// A second question joined to the first by "and", "also", ";", "+", "&" or chat's "n" ("wht
/// r the aims of fpt n is it still hee run??"), then a question word or a verb and its
/// subject.
static JOINED_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    let hedge = format!("(?:{})", HEDGES.join("|"));
    Regex::new(&format!(
        r"(?i)(,?\s+and\s+(?:also\s+|if\s+(?:so|not)\s*,?\s+|(?:for|in|by|from|with)\s+|{hedge}\s+)?|,?\s+also\s+|;\s*|\s+[+&]\s+|\s+n\s+)(who|what|wat|wot|wht|when|where|which|how|why|whether|(?:does|do|did|is|are|was|were|can|could|will|would|should|must|has|have)\s+(?:i|it|my|we|you|u|ur|this|that|there|they|he|she|fpt|the|a|an|every|each|all|any|our|your|their|his|her|its|some|other|these|those)\b)|(,\s+and\s+also\s+)(the\b)"
    ))
    .expect("joined question regex is valid")
});

/// The sentences of `text`, trimmed, none empty: a sentence ends at "?" or "!", at an emoji,
/// at "." before whitespace (not after an abbreviation), at a blank line, at a list item's
/// line end and before a list item, and two short lines that each ask are two questions.
///
/// Read a character at a time as its first definition read it (kept in the tests as
/// `sentences_by_char`, which a test compares with this), except that a run of ASCII
/// characters none of which is a line break, "?", "!" or "." is copied whole: each of them
/// would be appended and end nothing.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut sentences: Vec<String> = Vec::new();
    let mut current = String::new();
    // where the line being read starts in `current`
    let mut line_start = 0;
    // whether the line being read was found to ask on its own (see below)
    let mut asked_line = false;
    let mut at = 0;
    while at < text.len() {
        let plain = text.as_bytes()[at..]
            .iter()
            .position(|&b| !b.is_ascii() || matches!(b, b'\n' | b'?' | b'!' | b'.'))
            .unwrap_or(text.len() - at);
        if plain > 0 {
            if current.is_empty() {
                line_start = 0;
            }
            current.push_str(&text[at..at + plain]);
            at += plain;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        let rest = &text[at..];
        let next = rest.chars().next();
        let next = next.as_ref();
        if c == '\n' {
            // "how many days is fpt\nand wat can u do with it": two short lines that each ask
            // are two questions, not one sentence wrapped
            // (each line is then a question of its own, marked as one)
            // (the next line is read only after this one asks: most lines do not)
            let here =
                asked_line || asks_on_its_own_line(&current[line_start.min(current.len())..]);
            let asks_next = here && asks_on_its_own_line(rest.split('\n').next().unwrap_or(""));
            if here && (asked_line || asks_next) && !current.trim().is_empty() {
                let mut line = std::mem::take(&mut current).trim_end().to_string();
                if !line.ends_with(['?', '!', '.']) {
                    line.push('?');
                }
                sentences.push(line);
                line_start = 0;
                asked_line = asks_next;
                continue;
            }
            asked_line = false;
            if !current.trim().is_empty() {
                current.push(' ');
            }
            line_start = current.len();
            // a blank line or a list item ends a sentence ("- …", "* …", "2. …", "• …",
            // indented or not)
            let next_line_starts_item = rest
                .chars()
                .find(|n| *n != ' ' && *n != '\t')
                .is_some_and(|n| BULLETS.contains(&n) || n.is_ascii_digit());
            // a list item ends at its line's end
            let in_item = is_list_item(&current);
            if (next == Some(&'\n') || next_line_starts_item || in_item)
                && !current.trim().is_empty()
            {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        if current.is_empty() {
            line_start = 0;
        }
        current.push(c);
        // an emoji closes a clause in chat as a full stop does ("… nodded along 😅 wat is
        // fpt?")
        let boundary = matches!(c, '?' | '!')
            || is_emoji(c)
            || (c == '.'
                && next.is_some_and(|n| n.is_whitespace())
                && !ends_with_abbreviation(&current));
        if boundary && next.is_none_or(|n| n.is_whitespace()) {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        if asked_line && !current.trim_end().ends_with(['?', '!', '.']) {
            current = format!("{}?", current.trim_end());
        }
        sentences.push(current);
    }
    sentences
        .into_iter()
        .map(|s| {
            // kept as it is when there is nothing to trim
            let trimmed = s.trim();
            if trimmed.len() == s.len() {
                s
            } else {
                trimmed.to_string()
            }
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Longest line, in characters, read as a question of its own when the next line asks too
/// ([`asks_on_its_own_line`]): a mail wrapped at 72 columns fills its lines past this.
const MAX_QUESTION_LINE: usize = 60;

/// Words a line ends with when what it asks goes on in the next line ("could you tell
/// me\nhow long it lasts").
const ASKS_ON: [&str; 24] = [
    "me",
    "us",
    "know",
    "ask",
    "asking",
    "wonder",
    "wondering",
    "wondered",
    "explain",
    "confirm",
    "clarify",
    "advise",
    "sure",
    "idea",
    "about",
    "on",
    "if",
    "whether",
    "of",
    "to",
    "the",
    "and",
    "or",
    "tell",
];

/// Whether a line, read alone, opens as a question ([`UNMARKED_QUESTION`], or a question word
/// first: [`OPENS_WITH_QUESTION_WORD`]) of at least three words, at most
/// [`MAX_QUESTION_LINE`] characters, not ending in a word that carries the question on to the
/// next line ([`ASKS_ON`]).
fn asks_on_its_own_line(line: &str) -> bool {
    let line = line.trim();
    // (the cheap tests first: this is asked of every line of every message)
    line.len() <= MAX_QUESTION_LINE * 4
        && line.chars().count() <= MAX_QUESTION_LINE
        && line.split_words().count() >= 3
        && !line.ends_with([',', '-', ':', ';'])
        && line
            .rsplit(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .is_some_and(|w| !ASKS_ON.iter().any(|on| on.eq_ignore_ascii_case(w)))
        && (UNMARKED_QUESTION.is_match(line) || OPENS_WITH_QUESTION_WORD.is_match(line))
}

/// A line opened by a question word, perhaps after "and": "who runs fpt now", "whats the
/// email for fpt".
static OPENS_WITH_QUESTION_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|also|so|plus)\s+)?(?:who|whose|what|whats|what[’']s|wat|wats|wot|when|where|wheres|where[’']s|which|how|hows|why)\b")
        .expect("question-word opening regex is valid")
});

/// Characters that open a list item as its bullet ("- ", "• ", "▪ ").
const BULLETS: [char; 8] = ['-', '*', '•', '◦', '▪', '‣', '·', '–'];

/// Whether a line opens with a list marker: "- ", "* ", "• ", "2. ", "3) ".
fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    let mut chars = line.chars();
    match chars.next() {
        Some(c) if BULLETS.contains(&c) => chars.next().is_some_and(char::is_whitespace),
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            let mut rest = rest.chars();
            matches!(rest.next(), Some('.' | ')')) && rest.next().is_some_and(char::is_whitespace)
        }
        _ => false,
    }
}

/// `text` with every CR LF as LF: `text.replace("\r\n", "\n")` in one pass.
fn crlf_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = memchr::memmem::find(rest.as_bytes(), b"\r\n") {
        // `i` and `i + 2` are character boundaries: CR and LF are ASCII
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push('\n');
        rest = rest.get(i + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// `text` with every CR LF, then every CR left, as LF: `text.replace("\r\n", "\n").replace('\r',
/// "\n")` in one pass (a CR before an LF goes with it, any other CR is a line break).
fn line_breaks_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = memchr::memchr(b'\r', rest.as_bytes()) {
        // `i` is a character boundary (CR is ASCII), and so is the end of a following LF
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push('\n');
        let skip = if rest.as_bytes().get(i + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        rest = rest.get(i + skip..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// A question that only checks what was just said ("Is that correct", "is this true", "who's
/// right?" after two claims).
static CONFIRMATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:is|was|are|were)\s+(?:that|this|it|these|those)\s+(?:still\s+|really\s+)?(?:correct|right|true|accurate|so|the\s+case|the\s+(?:real|true|actual|full|whole)\s+(?:story|picture))|(?:so\s+)?(?:who|which)(?:['’]s|\s+is|\s+one\s+is)\s+(?:right|correct))\W*$")
        .expect("confirmation regex is valid")
});

/// An item marker inside a sentence: "(a)", "(2)", "b)".
static ITEM_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(([a-e1-5])\)|(?:^|\s)([a-e1-5])\)").expect("item marker regex is valid")
});

/// Whether `clause` opens with a question word or an inverted auxiliary ("how much …",
/// "what's …", "is it …", "any news on …").
pub(crate) fn opens_a_question(clause: &str) -> bool {
    const OPENERS: [&str; 27] = [
        "what", "whats", "what's", "who", "whom", "whose", "when", "where", "which", "why", "how",
        "is", "are", "was", "were", "can", "could", "do", "does", "did", "will", "would", "should",
        "shall", "may", "might", "has",
    ];
    let word = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
            .to_lowercase()
    };
    let mut words = clause.split_words().map(word);
    let mut first = words.next().unwrap_or_default();
    // "please could you let me know …": a politeness word before the question's opener
    if matches!(first.as_str(), "please" | "pls" | "plz" | "kindly") {
        first = words.next().unwrap_or_default();
    }
    OPENERS.contains(&first.as_str()) || first == "have" || first == "any"
}

/// A question that lists what it asks as lettered or numbered items in one sentence: the
/// frame before the first item joined with each item. "Could you point me to (a) anything
/// that explains the scheme, and (b) the paperwork for our meetings?" → "Could you point me
/// to anything that explains the scheme?" and "Could you point me to the paperwork for our
/// meetings?". `None` unless the items run a, b, … (or 1, 2, …) from the first, there are two
/// or more, and each has two words or more.
fn split_enumerated(question: &str) -> Option<Vec<String>> {
    let markers: Vec<(usize, usize, char)> = ITEM_MARKER
        .captures_iter(question)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let label = c.get(1).or_else(|| c.get(2))?;
            let ch = label.as_str().chars().next()?.to_ascii_lowercase();
            Some((whole.start(), whole.end(), ch))
        })
        .collect();
    if markers.len() < 2 {
        return None;
    }
    let first = markers[0].2;
    if first != 'a' && first != '1' {
        return None;
    }
    for (i, m) in markers.iter().enumerate() {
        if u32::from(m.2) != u32::from(first) + i as u32 {
            return None;
        }
    }
    let before = question[..markers[0].0].trim();
    let frame = before.trim_end_matches(':').trim();
    // "Two things I couldn't find: (1) how much time …, and (2) what's the shortest …?":
    // items that are whole questions after a colon keep it, so the frame stays a lead-in
    // of each and is not read as part of the question
    let announced = before.ends_with(':');
    let mark = if question.trim_end().ends_with('?') {
        "?"
    } else {
        ""
    };
    let mut out = Vec::new();
    for (i, m) in markers.iter().enumerate() {
        let end = markers.get(i + 1).map_or(question.len(), |n| n.0);
        let item = question[m.1..end]
            .trim()
            .trim_end_matches(['?', '.', ',', ';'])
            .trim();
        let item = item
            .strip_suffix(" and")
            .or_else(|| item.strip_suffix(" or"))
            .unwrap_or(item)
            .trim_end_matches([',', ';'])
            .trim();
        if item.split_words().count() < 2 {
            return None;
        }
        let joint = if announced && opens_a_question(item) {
            ": "
        } else {
            " "
        };
        out.push(format!("{frame}{joint}{item}{mark}").trim().to_string());
    }
    Some(out)
}

/// Words that open a clause asking for something in a list of asks ([`split_listed_asks`]).
const WH_WORDS: [&str; 9] = [
    "what", "how", "when", "where", "who", "which", "why", "whether", "whats",
];

/// Whether `word`, lower-cased, is one of [`WH_WORDS`]: `WH_WORDS.contains(&word.to_lowercase())`
/// without the lower-cased copy for an ASCII word (whose lower case is its ASCII lower case;
/// the list is lower-case ASCII).
fn is_wh_word(word: &str) -> bool {
    if word.is_ascii() {
        WH_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
    } else {
        WH_WORDS.contains(&word.to_lowercase().as_str())
    }
}

/// Fewest asks of a list split by [`split_listed_asks`]: two ("I'd like to get the history
/// right: when was the group set up, and what was it trying to address?") are a lead-in and
/// two joined questions, which the lead-in and "and what" already read (measured: splitting
/// them lost one answer on the newcomer sets).
const MIN_LISTED_ASKS: usize = 3;

/// Dashes, spaced, that end a list's frame or start its purpose ([`split_listed_asks`]).
const LIST_DASHES: [&str; 3] = [" - ", " – ", " — "];

/// A question that lists its asks after a dash or a colon, comma by comma, each opening with a
/// question word: the frame before the list, and the asks, each a question of its own with
/// the frame as its setting. "Could you give me a quick summary of the pathways - what they
/// are, how each one is structured, and how long the trainee will be on it?" → frame "Could
/// you give me a quick summary of the pathways", asks "what they are?", "how each one is
/// structured?", "how long the trainee will be on it?". The last ask may be joined by "and"
/// alone ("what it is, what it is trying to achieve and how it came about"), and a clause
/// after a second dash is the list's purpose, returned after the frame ("… - so I can
/// describe it accurately"). A question that is itself such a list ("What can the protected
/// day be used for, how is each option structured, and how long would I stay on it?") has no
/// frame; without a dash or colon, a list may also start at the first question word ("Could
/// you give me a short overview covering what the scheme is, where it came from and what it's
/// trying to achieve?").
/// `None` unless there are [`MIN_LISTED_ASKS`] asks or more, each of two words or more, after
/// a frame of two words or more (or none).
fn split_listed_asks(question: &str) -> Option<(Vec<&str>, Vec<String>)> {
    let body = listed_asks_body(question);
    if !may_list_asks(body) {
        return None;
    }
    split_listed_asks_of(question, body)
}

/// The part of `question` whose lists [`split_listed_asks`] reads.
fn listed_asks_body(question: &str) -> &str {
    question.trim().trim_end_matches(['?', '.']).trim_end()
}

/// Whether `body` may hold a list of [`MIN_LISTED_ASKS`] asks: when not,
/// [`split_listed_asks_of`] finds none (most questions: the cheap tests first).
fn may_list_asks(body: &str) -> bool {
    // Every list read is a part of `body`, cut at its commas into pieces, each piece giving at
    // most two asks (at its first " and "): with fewer commas and "and"s than that takes, no
    // list holds MIN_LISTED_ASKS asks
    if body.bytes().filter(|&b| b == b',').count() + 1 + body.matches("and").count()
        < MIN_LISTED_ASKS
    {
        return false;
    }
    // Every ask opens with a question word ([`WH_WORDS`], in any case) followed by another
    // word, and starts where `body` starts, after whitespace or after a comma: so each ask's
    // first word is a word of `body` between whitespace and commas, and the asks are apart.
    // With fewer such words than MIN_LISTED_ASKS, no list holds enough asks (one fewer when
    // `body` opens as a question: its first ask may open with a verb, "is there …").
    let needed = if opens_a_question(body) {
        MIN_LISTED_ASKS - 1
    } else {
        MIN_LISTED_ASKS
    };
    body.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| is_wh_word(w))
        .nth(needed - 1)
        .is_some()
}

/// [`split_listed_asks`] of `question`, whose [`listed_asks_body`] is `body`.
fn split_listed_asks_of<'a>(question: &str, body: &'a str) -> Option<(Vec<&'a str>, Vec<String>)> {
    let framed = LIST_DASHES
        .iter()
        .chain(&[": "])
        .filter_map(|sep| body.find(sep).map(|i| (i, sep.len())))
        .min()
        .filter(|&(at, _)| body[..at].split_words().count() >= 2)
        .map(|(at, sep)| (body[..at].trim(), &body[at + sep..]));
    // "Could you give me a short overview covering what the scheme is, where it came from
    // and what it's trying to achieve?": the list starts at the first question word
    let at_question_word = || {
        let mut offset = 0;
        for word in body.split_inclusive(char::is_whitespace) {
            let bare = word.trim().trim_matches(|c: char| !c.is_alphanumeric());
            if offset > 0 && is_wh_word(bare) {
                let frame = body[..offset].trim();
                // "I first asked my TPD, who sent me to the postgrad centre, who sent me to
                // …": a question word after a comma opens a relative clause of the noun
                // before it, not a list of asks
                return (frame.split_words().count() >= 2 && !frame.ends_with(','))
                    .then_some((frame, &body[offset..]));
            }
            offset += word.len();
        }
        None
    };
    // (a question word opening the sentence: the list is the question itself)
    [framed, Some(("", body))]
        .into_iter()
        .flatten()
        .find_map(|(frame, list)| listed_asks(question, frame, list, false))
        .or_else(|| {
            at_question_word().and_then(|(frame, list)| listed_asks(question, frame, list, false))
        })
        // "Is there a guide for trainees I could read, what are the four options for the
        // day, and how long would I be on it?": a list whose first ask opens with its verb
        .or_else(|| listed_asks(question, "", body, true))
}

/// The asks of `list` ([`split_listed_asks`]) with `frame` (and a purpose after a second
/// dash) as their setting, when there are [`MIN_LISTED_ASKS`] or more. With `inverted_first`,
/// the first ask may open the way any question does ([`opens_a_question`]: "is there …",
/// "can I …"), the others with a question word.
fn listed_asks<'a>(
    question: &str,
    frame: &'a str,
    list: &'a str,
    inverted_first: bool,
) -> Option<(Vec<&'a str>, Vec<String>)> {
    // "… and how it came about - so I can describe it accurately": the purpose is the
    // frame's, not an ask's
    let (list, purpose) = match LIST_DASHES.iter().filter_map(|d| list.find(d)).min() {
        Some(at) => (
            &list[..at],
            list[at..].trim_start_matches([' ', '-', '–', '—']),
        ),
        None => (list, ""),
    };
    let opens_ask = |item: &str| is_wh_word(item.split_words().next().unwrap_or(""));
    let mut items: Vec<&str> = Vec::new();
    for piece in list.split(',') {
        let piece = piece.trim();
        let piece = ["and ", "or ", "also "]
            .iter()
            .find_map(|c| piece.strip_prefix(c))
            .unwrap_or(piece)
            .trim();
        // "what it is trying to achieve and how it came about": two asks
        let joined = piece
            .match_indices(" and ")
            .find(|(i, _)| opens_ask(&piece[i + 5..]) && piece[..*i].split_words().count() >= 2);
        match joined {
            Some((i, _)) if opens_ask(piece) => {
                items.push(piece[..i].trim());
                items.push(piece[i + 5..].trim());
            }
            _ => items.push(piece),
        }
    }
    let asks = |item: &&str| item.split_words().count() >= 2 && opens_ask(item);
    let first_asks = |item: &&str| {
        asks(item) || (inverted_first && item.split_words().count() >= 3 && opens_a_question(item))
    };
    if items.len() < MIN_LISTED_ASKS
        || !items.first().is_some_and(first_asks)
        || !items.iter().skip(1).all(asks)
    {
        return None;
    }
    let mark = if question.trim_end().ends_with('?') {
        "?"
    } else {
        ""
    };
    let frame: Vec<&str> = [frame, purpose.trim()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    Some((
        frame,
        items.iter().map(|item| format!("{item}{mark}")).collect(),
    ))
}

/// Splits a question that joins two asks ("what does FPT stand for and who set it up") in two,
/// and one that lists them as items ([`split_enumerated`]).
fn split_joined(question: &str) -> Vec<String> {
    if let Some(items) = split_enumerated(question) {
        return items;
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for caps in JOINED_QUESTION.captures_iter(question) {
        let (Some(joint), Some(word)) = (
            caps.get(1).or_else(|| caps.get(3)),
            caps.get(2).or_else(|| caps.get(4)),
        ) else {
            continue;
        };
        // "…, and roughly how much of my week?" asks again; "where it came from and roughly
        // when" dates what it already asks about
        let hedged = joint
            .as_str()
            .split_words()
            .any(|w| HEDGES.contains(&w.to_ascii_lowercase().as_str()));
        if hedged
            && !matches!(
                word.as_str().to_ascii_lowercase().as_str(),
                "how" | "what" | "wat" | "wot" | "wht" | "which"
            )
        {
            continue;
        }
        let before = question[start..joint.start()].trim();
        // "is there a guide that covers how FPT works and what is expected of
        // supervisors?": the second clause is what the document covers, not a second ask
        if COVERS_CLAUSE.is_match(before) && !word.as_str().contains(char::is_whitespace) {
            continue;
        }
        // both halves must be real questions, not "how and when" (nor "doing a talk at grand
        // round - when and why was FPT set up?": the words before a dash or a colon are not
        // the question's); "is that correct, and if so who …" checks the context, which
        // belongs with what follows
        let clause = [" - ", " – ", " — ", ": "]
            .iter()
            .filter_map(|d| before.rfind(d).map(|at| &before[at + d.len()..]))
            .min_by_key(|c| c.len())
            .unwrap_or(before);
        if clause.split_words().count() >= 3 && !CONFIRMATION.is_match(before) {
            parts.push(before.to_string());
            start = word.start();
        }
    }
    let rest = question[start..].trim();
    if parts.is_empty() || rest.split_words().count() < 3 {
        return vec![question.trim().to_string()];
    }
    parts.push(rest.to_string());
    parts
}

/// A relative clause saying what a document or person covers, ending in a question word:
/// "a guide that covers how …", "anything which explains what …", "someone who can tell me
/// why …". A question word joined after it ("… and what is expected of supervisors") is more
/// of what is covered ([`split_joined`]).
static COVERS_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:that|which|who)\s+(?:(?:can|could|would|will)\s+)?(?:covers?|explains?|describes?|sets?\s+out|outlines?|goes\s+(?:through|over)|go\s+(?:through|over)|says?|tells?(?:\s+(?:you|me|us|them))?|spells?\s+out)\s+(?:\w+\s+){0,2}?(?:how|what|who|when|where|why|whether|which)\b")
        .expect("covers-clause regex is valid")
});

/// Hedges that may stand between "and" and a joined question ([`JOINED_QUESTION`]).
const HEDGES: &[&str] = &[
    "roughly",
    "approximately",
    "exactly",
    "then",
    "just",
    "generally",
];

/// A sentence that asks without a question mark, as chat often does ("also how long does it
/// last", "and can I pick the research pathway", "oh and how many capabilities in each"):
/// it opens, after up to two connectives,
/// with a question word and a verb, or with an inverted auxiliary and its subject, or is an
/// indirect question ("I was asking whether …", "I'd like to know how …", "anyone know if …",
/// "any idea when …"; informal "what r …", after "wait"/"sorry": "wait what r the 4 pathways
/// again"), or a polite imperative ("Kindly list the aims of this programme", "please share
/// the details of the pathways"). A bare "what" or
/// "when I …" does not count: they open statements too.
static UNMARKED_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:\d{1,2}\s*[.):]\s*|[a-h]\)\s*)?(?:(?:also|and|so|but|plus|btw|ok|okay|oh|like|i\s+mean|ie|i\.e\.|as\s+in|anyway|anyways|basically|wait|sorry|hang\s+on)\b[,:]?\s+){0,2}(?:how\s+(?:long|much|many|often|do|does|did|can|could|should|would|is|are|r|will)|(?:what|when|where|who|why)\s+(?:(?:even|exactly|actually|else|really|ever)\s+)?(?:is|are|r|does|do|did|will|can|could|should|would|happens)|(?:wat|wot|wht)\s+(?:is|are|r|does|do|can)|(?:what|wat|wot|wht|which)\s+[a-z]+\s+(?:is|are|r|does|do|can|could|should|would|will)\s+(?:there|i|we|you|u|they|it|available|offered|on\s+offer)|(?:is|are|can|could|do|does|did|will|would|should|has|have)\s+(?:i|it|my|we|you|u|there|this|that|fpt|the|they)|(?:is|are|does)\s+[a-z][\w/-]*\s+(?:one|part|a|an|the|still|really|actually|also|just|only|always|included|available|allowed|counted|considered|required|needed|open|offered|eligible|compulsory|mandatory)\b|(?:(?:does|do)\s+)?(?:any\s*one|anybody|some\s*one|somebody)\s+know\s+(?:whether|if|how|what|when|who|why|where|which)|any\s+idea\s+(?:whether|if|how|what|when|who|why|where|which)|i\s+(?:was|am|[’']m)\s+(?:asking|wondering|enquiring|inquiring)\s+(?:whether|if|how|what|when|who|why|where)|i(?:\s+(?:wanted|want|would(?:\s+\w+ly)?\s+like|need)|[’']d(?:\s+\w+ly)?\s+like)\s+to\s+(?:know|ask|check|find\s+out|understand|learn)\s+(?:whether|if|how|what|when|who|why|where|which|more\s+about|about|the)|(?:just\s+|really\s+|mainly\s+)?(?:wanted|want|need|needed)\s+to\s+(?:know|ask|check|find\s+out)\s+(?:whether|if|how|what|when|who|why|where|which)|my\s+(?:main\s+|only\s+|one\s+|biggest\s+|real\s+)?(?:question|query|q|worry|concern)\s+is\s+(?:whether|if|how|what|when|who|why|where|which)|(?:kindly|please|pls|could\s+you|can\s+you)\s+(?:advise|let\s+(?:me|us)\s+know|tell\s+(?:me|us)|confirm|clarify|explain)\s+(?:me\s+|us\s+)?(?:on\s+|about\s+)?(?:whether|if|how|what|when|who|why|where|which)|(?:kindly|please|pls|plz)\s+(?:(?:kindly|please)\s+)?(?:list|name|outline|summari[sz]e|describe|explain|share|provide|give\s+(?:me|us)|send\s+(?:me|us)|tell\s+(?:me|us)\s+(?:about|more))\s+(?:the|all|about|a|an|some|me|us|more|details|info|information)\b|(?:the\s+|my\s+)?(?:main\s+|other\s+|real\s+)?(?:thing|question|query|q)\s+(?:(?:i|we)\s+(?:\w+ly\s+)?(?:wanted|want|needed|need|would\s+like|['’]d\s+like|had|have|meant)\s+to\s+(?:ask|know|check|find\s+out|clarify)(?:\s+about)?\s+)?(?:is|was)\s+(?:whether|if|how|what|when|who|why|where|which)|what\s+(?:i|we)\s+(?:\w+ly\s+)?(?:wanted|want|needed|need|would\s+like|['’]d\s+like)\s+to\s+(?:ask|know|check|find\s+out|clarify)(?:\s+about)?\s+(?:is|was)\s+(?:whether|if|how|what|when|who|why|where|which)|(?:the\s+|one\s+)?(?:main\s+|only\s+|one\s+)?(?:thing|bit|part)\s+(?:that\s+)?(?:i|we)\s+(?:\w+ly\s+)?(?:still\s+)?(?:can['’]?t|cannot|could\s+not|couldn['’]?t|don['’]?t|do\s+not|didn['’]?t|did\s+not)\s+(?:quite\s+)?(?:work\s+out|figure\s+out|understand|get|find|tell)(?:\s+(?:from|on|in)\s+(?:the\s+|your\s+)?[\w-]+)?\s+(?:is|was)\s+(?:whether|if|how|what|when|who|why|where|which))\b",
    )
    .expect("unmarked question regex is valid")
});

/// Whether a sentence of `text` asks without a question mark ([`UNMARKED_QUESTION`]):
/// "thanks. and is fpt run the same way in every region or does it vary".
pub(crate) fn asks_unmarked(text: &str) -> bool {
    sentences(text)
        .iter()
        .any(|s| UNMARKED_QUESTION.is_match(s))
}

/// A statement anywhere in a sentence that says what the writer wants to know: "I'd like to
/// understand what …", "I would really like to know a bit about why …", "I need something to
/// say about what …", "please could you explain …", a formal letter's "I should be grateful
/// if you could clarify …", "I was hoping to find out …", "I was hoping you could give me a
/// quick overview of …", "We would be grateful for a brief description of the scheme", "I'd
/// be grateful to know whether …", "I'm trying to understand whether …", "I'm hoping someone
/// can help me understand why …", and for someone else: "He'd like to know what …", "she
/// wants to know whether …". Read as a
/// question only in a message that has no question of its own ([`split_questions`]).
static WANTS_TO_KNOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:i['’]d|i\s+would|i|(?:we|he|she|they)(?:['’]d|\s+would)?)\s+(?:\w+ly\s+|also\s+|just\s+)?(?:like|want|wants|wanted|need|needs|needed)\s+to\s+(?:know|understand|find\s+out|learn|ask|check|hear|clarify|confirm)\b|\bneed\s+(?:something|some\s+\w+)\s+to\s+(?:say|tell\s+\w+|put|write)\s+about\b|\b(?:could|can|would)\s+you\s+(?:please\s+|kindly\s+)?(?:tell|explain|confirm|let\s+me\s+know|advise|clarify|outline|summarise|summarize)\b|\b(?:grateful|obliged|thankful|appreciate\s+it)\s+if\s+(?:you|someone|somebody|anyone)\s+(?:(?:could|would|can|might|will)\s+)?(?:please\s+|kindly\s+)?(?:briefly\s+)?(?:tell|explain|describe|confirm|let\s+me\s+know|advise|clarify|outline|summarise|summarize|indicate|set\s+out)\b|\b(?:i\s+was|i['’]m|i\s+am|we\s+were|we['’]re|we\s+are)\s+(?:\w+ly\s+)?hoping\s+(?:to\s+(?:find\s+out|understand|learn|know|check|clarify|confirm|hear)|(?:you|someone|somebody|anyone)\s+(?:could|might|would|can)\s+(?:please\s+|kindly\s+)?(?:briefly\s+)?(?:tell|explain|give|send|let\s+(?:me|us)\s+know|advise|clarify|outline|summarise|summarize|confirm|describe))\b|\b(?:grateful|obliged|thankful)\s+for\s+(?:a|an|some|any)\s+(?:(?:brief|short|quick|general)\s+)?(?:description|overview|summary|explanation|outline)\s+(?:of|on|about)\b|\b(?:(?:i['’]d|i\s+would|we['’]d|we\s+would)\s+be\s+(?:(?:very|most|really|so)\s+)?)?(?:grateful|obliged)\s+to\s+(?:know|learn|hear|find\s+out|understand)\b|\b(?:(?:i['’]m|im|i\s+am|we['’]re|we\s+are)\s+(?:just\s+)?)?trying\s+to\s+(?:understand|work\s+out|find\s+out|figure\s+out|establish)\b|\b(?:(?:i['’]m|im|i\s+am|i\s+was|we['’]re|we\s+are|we\s+were)\s+(?:\w+ly\s+)?hoping\s+)?(?:(?:you|someone|somebody|anyone)\s+(?:can|could|might|would|will)\s+)?help\s+(?:me|us)\s+(?:to\s+)?(?:understand|work\s+out|find\s+out|figure\s+out|make\s+sense\s+of)\b",
    )
    .expect("wants-to-know regex is valid")
});

/// A chat reply that asks the question it quotes again: "^ this", "+1", "same q as above",
/// "same question as mo but for med ed please", "me too", "I've got the same question". What
/// follows it, if anything, narrows the quoted question ("but for QI").
static ASKS_THE_QUOTED_AGAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:\^+\s*(?:this|same|ditto)?|\+1|same\s+(?:q|qs|question|questions|query)(?:\s+here)?|same\s+here|ditto|me\s+too|this\s*!*\s*$|i(?:\s+have|['’]ve|\s+had)(?:\s+got)?\s+the\s+same\s+(?:q|question|query))(?:\s+(?:as|to|from)\s+(?:above|that|this|@?[\w.-]+))?\b[\s.,!:;-]*")
        .expect("asks-the-quoted-again regex is valid")
});

/// A chat handle before a quoted line: "> mo: is there a pathway doc for informatics?".
static QUOTED_SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*@?[\w.-]{1,32}\s*:\s+").expect("quoted-speaker regex is valid")
});

/// The question a chat reply asks by pointing at the message it quotes
/// ([`ASKS_THE_QUOTED_AGAIN`]), and what the reply adds to narrow it ("" when nothing): the
/// quoted message's last line that asks, without the speaker's handle, narrowed ("> priya_r:
/// is there a separate document for the research pathway?" and "same q as above but for QI"
/// → "is there a separate document for the research pathway, but for QI?" and "but for
/// QI"). `None` when the reply does not point at the quote, nothing quoted asks, or the reply
/// asks a question of its own ("^ this. can I keep my FPT if I go OOP?" asks its own).
pub fn asks_the_quoted_again(own: &str, quoted: &str) -> Option<(String, String)> {
    let pointer = ASKS_THE_QUOTED_AGAIN.find(own.trim())?;
    let rest = own.trim()[pointer.end()..].trim();
    if rest.contains('?') || asks_unmarked(rest) {
        return None;
    }
    let question = quoted
        .lines()
        .rev()
        .map(|l| l.trim_start_matches(|c: char| c == '>' || c.is_whitespace()))
        .find(|l| l.contains('?'))?;
    let question = match QUOTED_SPEAKER.find(question) {
        Some(m) => &question[m.end()..],
        None => question,
    };
    let question = question.trim().trim_end_matches(['?', ' ']);
    if question.is_empty() {
        return None;
    }
    let rest = rest.trim_end_matches(['.', '!', ' ']);
    Some(if rest.is_empty() {
        (format!("{question}?"), String::new())
    } else {
        (format!("{question}, {rest}?"), rest.to_string())
    })
}

/// Splits cleaned text into its questions, each with the statements just before it
/// ("I'm a GP trainee. Can I apply?"). Text with no question (marked, or [`UNMARKED_QUESTION`]) is one
/// question.
pub fn split_questions(text: &str) -> Vec<Question> {
    let mut sentences = sentences(text);
    // "my ES asked what the 'descriptors' are and i just nodded. help?": a bare plea asks
    // nothing of its own; what it asks for help with is said before it, which it makes a
    // question
    // (only after a statement that holds a question: "Thanks for sending the handbook link.
    // Any ideas?" is no question about the handbook, and its plea asks nothing answerable,
    // see `text::unasked`)
    let holds_a_question = |s: &str| HOLDS_A_QUESTION.is_match(s);
    let pleads = sentences
        .windows(2)
        .any(|w| is_bare_plea(&w[1]) && holds_a_question(&w[0]));
    if pleads {
        let mut kept: Vec<String> = Vec::with_capacity(sentences.len());
        for s in sentences {
            match kept.last_mut() {
                Some(before)
                    if is_bare_plea(&s) && !before.ends_with('?') && holds_a_question(before) =>
                {
                    let trimmed = before
                        .trim_end_matches(|c: char| c == '.' || c == '!' || c.is_whitespace());
                    *before = format!("{trimmed}?");
                }
                _ => kept.push(s),
            }
        }
        sentences = kept;
    }
    let rest = pleads.then(|| sentences.join(" "));
    let text = rest.as_deref().unwrap_or(text);
    let is_item = |i: usize| sentences.get(i).is_some_and(|s| LIST_MARKER.is_match(s));
    let mut asked: Vec<usize> = (0..sentences.len())
        .filter(|&i| {
            let s = &sentences[i];
            // "Could you tell me:\n• how much of the week …\n• what areas I could …": the
            // sentence that announces a list of questions asks nothing itself, and each item
            // that opens the way a question does is one, marked or not
            if s.ends_with(':') && is_item(i + 1) {
                return false;
            }
            s.ends_with('?')
                || UNMARKED_QUESTION.is_match(s)
                // "My AD asked 'why is FPT different in each region?' which I'd love to know
                // too."
                || QUOTED_QUESTION.is_match(s)
                // "my consultant asked me what fpt is and i waffled. whats the short version"
                || crate::text::unasked::asks_short_answer(s)
                // "I'd like a short paragraph on FPT: what it is, where it came from, and
                // what it's meant to achieve."
                || split_listed_asks(s).is_some()
                || (is_item(i) && opens_a_question(&LIST_MARKER.replace(s, "")))
        })
        .collect();
    // "Hi, how are you? Is there a handbook?": asking after the reader is no question beside
    // one of the enquiry's own (alone, it is small talk: see `ignore`)
    if asked.iter().any(|&i| !asks_the_reader(&sentences[i])) {
        asked.retain(|&i| !asks_the_reader(&sentences[i]));
    }
    // whether the questions are statements of what the writer wants to know
    let mut wanted = false;
    if asked.is_empty() {
        // a letter that asks without a question ("… Before I agree I'd like to understand
        // what the organisation gets back from the scheme."): the sentences that say what
        // the writer wants to know are its questions, the rest their context
        asked = (0..sentences.len())
            .filter(|&i| WANTS_TO_KNOW.is_match(&sentences[i]))
            .collect();
        wanted = true;
    }
    if asked.is_empty() {
        return split_joined(text.trim())
            .into_iter()
            .map(|question| Question {
                context: String::new(),
                question,
            })
            .collect();
    }
    let mut out: Vec<Question> = Vec::new();
    let mut context: Vec<&str> = Vec::new();
    // whether the sentence before was a question that asks something by itself
    let mut after_question = false;
    for (i, s) in sentences.iter().enumerate() {
        if asked.contains(&i) {
            if after_question && is_elliptical_follow_up(s) {
                // "… ring-fenced if I got a post? half a day? more?": the guesses belong to
                // the question they guess at (its context), they ask nothing of their own
                if let Some(last) = out.last_mut() {
                    last.context = format!("{} {s}", last.context).trim().to_string();
                }
                continue;
            }
            // "We've got a registrar joining in August on an FPT post and I need to know
            // what proportion of their time comes off the rota": the clause before the
            // one that says what the writer wants to know is its setting
            let s = match wanted.then(|| wanted_clause(s)).flatten() {
                Some((setting, wanted)) => {
                    context.push(setting);
                    wanted
                }
                None => s.as_str(),
            };
            // "so I'm dictating this in the car … and anyway the reason I'm writing is I
            // wanted to know whether I can keep going with it …?": in a long sentence run on
            // without stops, what the writer wants to know is the question, the rest its
            // setting
            let s = match (!wanted).then(|| run_on_clause(s)).flatten() {
                Some((setting, wanted)) => {
                    context.push(setting);
                    wanted
                }
                None => s,
            };
            // "im st4 in newcastle, how many days a week is it?": who the writer is, then
            // the question; the introduction is its setting
            let s = match introduction_clause(s) {
                Some((intro, question)) => {
                    context.push(intro);
                    question
                }
                None => s,
            };
            after_question = s.split_words().count() >= MIN_GUESSED_AT_WORDS
                && crate::text::unasked::unasked(s).is_none();
            // "… a quick summary of the pathways - what they are, how each one is
            // structured, and how long …?": each ask listed is a question, the frame before
            // the list their setting
            let parts = match split_listed_asks(s) {
                Some((frame, asks)) => {
                    context.extend(frame);
                    asks
                }
                None => split_joined(s),
            };
            for (k, part) in parts.iter().enumerate() {
                // "how much protected time FPT gives, and what she is expected to spend it
                // on?": a later part that points back ("it", "they") is read with the part
                // it points to as its setting
                let mut setting = context.join(" ");
                if let Some(before) = k.checked_sub(1).and_then(|j| parts.get(j)) {
                    if points_back(part) {
                        if !setting.is_empty() {
                            setting.push(' ');
                        }
                        setting.push_str(before);
                    }
                }
                out.push(Question {
                    context: setting,
                    question: part.clone(),
                });
            }
            context.clear();
        } else {
            after_question = false;
            context.push(s);
        }
    }
    // statements after the last question add to its context
    if let (Some(last), false) = (out.last_mut(), context.is_empty()) {
        last.context = format!("{} {}", last.context, context.join(" "))
            .trim()
            .to_string();
    }
    out
}

/// A question quoted after a verb of asking inside a statement: "My AD asked 'why is FPT
/// different in each region?' which I'd love to know too". The statement asks it.
static QUOTED_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:ask(?:ed|s|ing)?|wonder(?:ed|s|ing)?)\s+(?:me\s+|us\s+|him\s+|her\s+|them\s+)?[,:]?\s*["'“‘][^"“”?]{5,200}\?+["'”’]"#)
        .expect("quoted question regex is valid")
});

/// A question word inside a statement ("my ES asked what the descriptors are"): what a plea
/// after it asks for help with.
static HOLDS_A_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:what|wat|wot|how|when|where|why|which|who|whether)\b")
        .expect("holds-a-question regex is valid")
});

/// Whether `sentence` only pleads for help ("help?", "any ideas?", "pls help"), with nothing
/// of its own to answer.
pub fn is_bare_plea(sentence: &str) -> bool {
    BARE_PLEA.is_match(sentence.trim())
}

/// A sentence that only pleads for help, with nothing of its own: "help?", "any ideas?",
/// "thoughts?", "pls help", "any advice??". What it asks for help with is said before it.
static BARE_PLEA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:any|some)\s+)?(?:help|halp|ideas?|thoughts?|advice|suggestions?|clue)(?:\s+(?:pls|please|plz|anyone|any\s*one))?\W*$|^\W*(?:pls|please|plz)\s+help(?:\s+me)?\W*$|^\W*(?:anyone|any\s*one|any\s*body)\W*$")
        .expect("bare-plea regex is valid")
});

/// Whether a question has a pronoun that points back to something named before it: "it",
/// "its", "they", "them" ("that" and "this" are as often a conjunction or a determiner:
/// "given that 20% …", "this year").
fn points_back(question: &str) -> bool {
    question.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "it" | "its" | "they" | "them"
        )
    }) || ASKS_OF_THAT.is_match(question)
}

/// "that" or "this" asked about as a thing, after a verb that asks ("and is that ever going
/// to change?", "does this apply to LTFT?", "and whether that's likely to change"): a pronoun
/// for what the part before said, not the conjunction of "is it true that …".
static ASKS_OF_THAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:is|was|are|were|does|did|do|will|would|can|could|has|have|should|might)\s+(?:that|this)\s+(?:ever|still|going|likely|set|be|change|changing|apply|applying|true|right|correct|the|same|different|a|an|planned|happening|expected|mean|affect|count|also|just|only|really|actually)\b|\b(?:whether|if)\s+(?:that|this)(?:['’]s|\s+(?:is|was|will|would|might|could|may)\b)")
        .expect("asks-of-that regex is valid")
});

/// A clause in which the writers say who or where they are: their grade ("I'm an ST4 in
/// Newcastle", "im st3 acute med"), their role ("I'm a consultant in Hull"), where they work
/// ("I'm based at …", "we're a small DGH"), where they have just come ("new to Leicester",
/// "just moved to Leeds"). Not what they feel or like ("I'm really fond of
/// markdown, …", "I'm worried that …"): that is the topic. Not "as a specialty doctor, can I
/// …?": a role the question is asked as is part of it.
static INTRODUCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(?:(?:hi|hey|hello|hiya)\W+(?:there\W+|all\W+|team\W+)?)?
        (?:
          # a grade: I'm an ST4 …, im st3 acute med, I am currently IMT2 …
          (?:i['’]?m|im|i\s+am)\s+(?:currently\s+|now\s+|just\s+)?(?:(?:an?|the)\s+)?(?:[a-z]+\s+)?(?:st|ct|imt|fy|f|sp)\s?\d\b
          # a role: I'm a consultant in Hull …, I'm a foundation doctor …
        | (?:i['’]?m|im|i\s+am)\s+(?:currently\s+|now\s+|just\s+)?(?:an?|the|one\s+of\s+the)\s+(?:[\w-]+\s+){0,3}?
          (?:trainee|registrar|reg|consultant|doctor|student|img|supervisor|tpd|coordinator|manager|tutor|director|lead|fellow|physician|gp|sho|medic|rep|representative)s?\b
          # where they are: I'm in Leeds …, I'm based at …, I'm working as …
        | (?:i['’]?m|im|i\s+am)\s+(?:currently\s+|now\s+)?(?:in|at|based\s+(?:in|at)|working\s+(?:in|at|as))\s
        | i\s+work\s+(?:in|at|as|for)\s
          # where they have just come: new to Leicester …, just moved to Leeds …, I'm
          # starting at Derriford …
        | (?:(?:i['’]?m|im|i\s+am|i['’]ve|ive|i\s+have)\s+)?(?:just\s+|recently\s+)?(?:new\s+(?:to|at|in)|(?:moved|moving|started|starting|relocated|relocating|rotated|rotating)\s+(?:to|at|in))\s
        | (?:we['’]re|we\s+are)\s+(?:an?|the)\s
        )",
    )
    .expect("introduction regex is valid")
});

/// Longest line (or field of a line split by "|", "•" or "·"), in bytes, of what may follow
/// a sign-off: a name, a role, a trust.
const MAX_SIGNATURE_FIELD: usize = 80;

/// An opening subordinate clause that sets the scene of the question after its comma:
/// "Before I say anything to my TPD, how much …?", "Now that HEE runs it, who …?", "Since
/// I'm moving to Leeds next year, is …?", "Given my background, would …?".
static LEADING_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:before|since|now\s+that|given(?:\s+that)?|because|as\s+(?:i|we|my|our)|while|whilst|having|just\s+so\s+(?:i|we)|so\s+(?:i|we)\s+can|for\s+(?:context|background|what\s+it['’]s\s+worth))\s")
        .expect("leading clause regex is valid")
});

/// Most words of an introduction clause ([`introduction_clause`]).
const MAX_INTRODUCTION_WORDS: usize = 14;

/// `sentence` split into an opening introduction ([`INTRODUCTION`]) or scene-setting clause
/// ([`LEADING_CLAUSE`]), at most
/// [`MAX_INTRODUCTION_WORDS`] words, ended by a comma, a semicolon, a colon or a dash) and
/// the question after it, which opens the way a question does ([`opens_a_question`]) or is
/// one of the unmarked kinds ([`UNMARKED_QUESTION`]): "I'm an ST4 in Newcastle, how many
/// days a week is it?" → ("I'm an ST4 in Newcastle", "how many days a week is it?").
/// `None` otherwise ("I'm not sure whether I can apply?" has no such clause).
fn introduction_clause(sentence: &str) -> Option<(&str, &str)> {
    // a scene-setting clause is the setting only of a question that stands alone: in "Once
    // I have sent a mail, can I tell whether it was opened?" the clause names what "it" is
    let introduces = INTRODUCTION.is_match(sentence);
    if !introduces && !LEADING_CLAUSE.is_match(sentence) {
        return None;
    }
    let cut = sentence
        .find([',', ';', ':', '–', '—'])
        .or_else(|| sentence.find(" - "))?;
    let (intro, rest) = sentence.split_at(cut);
    let question = rest
        .trim_start_matches([',', ';', ':', '–', '—', '-', ' '])
        .trim();
    let words = intro.split_words().count();
    // "I'm a college student so I can't afford Office, are …?": an introduction that goes on
    // to say more is not only who the writer is
    let goes_on = intro
        .split_words()
        .any(|w| matches!(w, "so" | "but" | "because" | "and" | "which" | "as"));
    ((2..=MAX_INTRODUCTION_WORDS).contains(&words)
        && if introduces {
            !goes_on
        } else {
            !points_back(question)
        }
        && question.split_words().count() >= 3
        && (opens_a_question(question) || UNMARKED_QUESTION.is_match(question)))
    .then(|| (intro.trim(), question))
}

/// Fewest words of a clause before a statement of what the writer wants to know that is
/// read as its setting ([`wanted_clause`]).
const MIN_SETTING_WORDS: usize = 3;

/// `sentence` split into the clause before its statement of what the writer wants to know
/// ([`WANTS_TO_KNOW`]) and that statement, when a clause of [`MIN_SETTING_WORDS`] words or
/// more ends with "and", "so", a comma or a semicolon before it: "We've got a registrar
/// joining in August and I need to know what proportion …" → ("We've got a registrar joining
/// in August", "I need to know what proportion …"). `None` otherwise.
fn wanted_clause(sentence: &str) -> Option<(&str, &str)> {
    let m = WANTS_TO_KNOW.find(sentence)?;
    let head = sentence[..m.start()].trim_end();
    let setting = head
        .strip_suffix(" and")
        .or_else(|| head.strip_suffix(" so"))
        .or_else(|| head.strip_suffix([',', ';']))?
        .trim_end_matches([',', ';'])
        .trim();
    (setting.split_words().count() >= MIN_SETTING_WORDS).then(|| (setting, &sentence[m.start()..]))
}

/// Words a question must have before a statement inside it of what the writer wants to know
/// is read as the question and the rest as its setting ([`run_on_clause`]): a sentence
/// that long, run on without stops, is dictated or typed on a phone, not one question.
const MIN_RUN_ON_WORDS: usize = 20;

/// Fewest words of the setting [`run_on_clause`] splits off: a run-on sentence has a long
/// preamble ("so I'm dictating this in the car …"); a short one ("Anyway, the thing I wanted
/// to ask is whether …") is part of the question.
const MIN_RUN_ON_SETTING_WORDS: usize = 8;

/// Wondering, as a statement of what the writer wants to know inside a run-on sentence
/// ([`run_on_clause`]): "… and I was wondering how much time …".
static WONDERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:i\s+was|i['’]m|im|i\s+am|we\s+were|we\s+are)\s+(?:just\s+|also\s+)?wondering\b",
    )
    .expect("wondering regex is valid")
});

/// `sentence`, a question of more than [`MIN_RUN_ON_WORDS`] words, split before the last
/// statement in it of what the writer wants to know ([`WANTS_TO_KNOW`], [`WONDERING`]) when
/// at least [`MIN_RUN_ON_SETTING_WORDS`] words come before it and four after, unless the setting
/// is punctuated (a comma, dash, colon or bracket) and the question points back into it with
/// a pronoun: (the setting, the question). `None` otherwise.
fn run_on_clause(sentence: &str) -> Option<(&str, &str)> {
    if sentence.split_words().count() <= MIN_RUN_ON_WORDS {
        return None;
    }
    let start = WANTS_TO_KNOW
        .find_iter(sentence)
        .chain(WONDERING.find_iter(sentence))
        .map(|m| m.start())
        .max()?;
    let (setting, question) = sentence.split_at(start);
    // (a setting with its own commas or dashes was punctuated, and a question that points
    // back into it with a pronoun is one question with it: "… email address to send an
    // enquiry to - could you let me know what it is?")
    let punctuated =
        setting.contains([',', ';', ':', '–', '—', '(', ')']) || setting.contains(" - ");
    let setting = setting.trim_end().trim();
    (!(punctuated && points_back(question))
        && setting.split_words().count() >= MIN_RUN_ON_SETTING_WORDS
        && question.split_words().count() >= 4)
        .then_some((setting, question))
}

/// Longest elliptical follow-up, in words ([`is_elliptical_follow_up`]): "half a day?",
/// "or more?", "the whole year?", "just the research one?".
const MAX_ELLIPTICAL_WORDS: usize = 4;

/// Longest elliptical follow-up that offers a choice of phrases ("full day or half day?"),
/// in words ([`is_elliptical_follow_up`]).
const MAX_ELLIPTICAL_CHOICE_WORDS: usize = 8;

/// Fewest words of a question that elliptical follow-ups can guess at ("how much time is
/// protected?"): a shorter one ("FPT? Eligibility?") may be a fragment itself.
const MIN_GUESSED_AT_WORDS: usize = 4;

/// A list marker at the start of a question ("2. ", "b) ", "- ", "• "), or an ordinal that
/// numbers it in prose ("First, …", "And secondly, …", "Finally: …").
pub(crate) static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\(?\d{1,2}[.):]|\(?[a-h][.)]|[-*•]|(?:and\s+|also\s+)?(?:first|firstly|second|secondly|third|thirdly|finally|lastly)[,:])\s+")
        .expect("list marker regex is valid")
});

/// A yes-or-no question opened by "or" ("Or should I give up on the idea?", "or is it just
/// for medics?"): an alternative to the question before it. "Or who else could I ask?" asks
/// something new and is not one.
static OR_ALTERNATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*or\s+(?:is|are|was|were|do|does|did|can|could|should|would|will|must|has|have|am|shall)\b")
        .expect("or-alternative regex is valid")
});

/// "is it 1 or 2?", "so is that one year or two?", "was it QI or research?": a choice of
/// answers with "it", "that" or "this" standing for what the question before asked.
static PRONOUN_CHOICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|so|or|but|ok|okay)\W+)?(?:(?:is|was)\s+(?:it|that|this)|(?:would|will)\s+(?:it|that|this)\s+be)\s+(?:[\w%'’-]+\s+){0,3}or\s+(?:[\w%'’-]+\s*){1,3}\?+\W*$")
        .expect("pronoun choice regex is valid")
});

/// Longest alternative opened by "or" read as one ([`OR_ALTERNATIVE`]), in words.
const MAX_OR_ALTERNATIVE_WORDS: usize = 12;

/// Connectives before an elliptical follow-up: "or more?", "and Leeds?".
const ELLIPSIS_CONNECTIVES: &[&str] = &["and", "or", "but", "so", "also", "plus", "like", "maybe"];

/// A sentence that puts the question before it another way: "like is it …", "i mean …",
/// "as in …", "i.e. …", "in other words …".
static CLARIFYING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:like|i\s+mean|as\s+in|i\.\s?e\.?|ie|in\s+other\s+words)[,:]?\s+\w")
        .expect("clarifying regex is valid")
});

/// A bare check of what was just said or asked: "is that true", "is this right?", "true?",
/// "correct?", "or not?".
static BARE_CHECK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:and|so|but)\s+)?(?:(?:is|was)\s+(?:that|this|it)\s+(?:really\s+|actually\s+)?(?:true|right|correct|so|the\s+case)|true|right|correct|or\s+not)\W*$")
        .expect("bare check regex is valid")
});

/// Longest sentence read as the question before put another way ([`CLARIFYING`]).
const MAX_CLARIFYING_WORDS: usize = 16;

/// Whether `sentence` is an elliptical follow-up of the question before it: a short phrase
/// with a question mark and no clause of its own ("half a day?", "or more?", "the whole
/// week?"), that is, no question word or auxiliary after an optional connective. Such a
/// fragment is read through ellipsis: its missing clause is the question before it, so it
/// guesses at or narrows that question and asks nothing it does not. So does
/// one that puts it another way ([`CLARIFYING`]).
fn is_elliptical_follow_up(sentence: &str) -> bool {
    // an item of a list is a question of its own ("- which pathways exist?", "2) length?")
    if LIST_MARKER.is_match(sentence) {
        return false;
    }
    let words: Vec<&str> = sentence.split_words().collect();
    // "how much time does FPT give? like is it a whole day or bits here n there": the
    // question before, put another way
    if CLARIFYING.is_match(sentence) && words.len() <= MAX_CLARIFYING_WORDS {
        return true;
    }
    // "someone said FPT is getting scrapped?? is that true": a bare check of the question
    // before asks what it asked
    if BARE_CHECK.is_match(sentence) {
        return true;
    }
    if !sentence.trim_end().ends_with('?') || words.is_empty() {
        return false;
    }
    // "Or should I give up on the idea?": the other answer to the question before, offered
    // as a yes-or-no question of its own; that question's answer answers it
    if OR_ALTERNATIVE.is_match(sentence) && words.len() <= MAX_OR_ALTERNATIVE_WORDS {
        return true;
    }
    // "is it 1 or 2?": a choice of answers to the question before, put with a pronoun for
    // what it asked
    if PRONOUN_CHOICE.is_match(sentence) && words.len() <= MAX_ELLIPTICAL_CHOICE_WORDS {
        return true;
    }
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    // "full day or half day?": a choice of phrases with no word that opens a clause of its
    // own ("research or is it QI?") guesses at the question before as much as "half a day?"
    // does
    let verbless_choice = words.len() <= MAX_ELLIPTICAL_CHOICE_WORDS
        && words.iter().any(|w| bare(w) == "or")
        && !words.iter().any(|w| opens_a_question(w));
    if words.len() > MAX_ELLIPTICAL_WORDS && !verbless_choice {
        return false;
    }
    let skip = usize::from(ELLIPSIS_CONNECTIVES.contains(&bare(words[0]).as_str()));
    let rest = words[skip..].join(" ");
    !rest.is_empty() && !opens_a_question(&rest) && !UNMARKED_QUESTION.is_match(sentence)
}

/// Whether `c` is a pictograph (the Unicode blocks of emoji: Miscellaneous Symbols and
/// Pictographs to Symbols and Pictographs Extended-A, Miscellaneous Symbols, Dingbats).
fn is_emoji(c: char) -> bool {
    matches!(u32::from(c), 0x1F300..=0x1FAFF | 0x2600..=0x27BF)
}

/// Words of a role or place line under a bare name ("TPD Acute Medicine", "ST4, Leeds
/// Teaching Hospitals").
const MAX_ROLE_WORDS: usize = 6;

fn ends_with_abbreviation(sentence: &str) -> bool {
    let last = sentence
        .trim_end_matches('.')
        .rsplit(' ')
        .next()
        .unwrap_or("")
        // "(e.g. a few months off)": the bracket is no part of the word
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    [
        "dr", "mr", "mrs", "ms", "prof", "st", "e.g", "i.e", "eg", "ie", "etc", "vs", "approx",
        "incl", "esp", "cf",
    ]
    .iter()
    .any(|a| last.eq_ignore_ascii_case(a))
        || last.len() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`sentences`] as first written, a character at a time.
    fn sentences_by_char(text: &str) -> Vec<String> {
        let mut sentences: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut chars = text.chars().peekable();
        // where the line being read starts in `current`
        let mut line_start = 0;
        // whether the line being read was found to ask on its own (see below)
        let mut asked_line = false;
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            let next = next.as_ref();
            if c == '\n' {
                // "how many days is fpt\nand wat can u do with it": two short lines that each ask
                // are two questions, not one sentence wrapped
                // (each line is then a question of its own, marked as one)
                // (the next line is read only after this one asks: most lines do not)
                let here =
                    asked_line || asks_on_its_own_line(&current[line_start.min(current.len())..]);
                let asks_next = here
                    && asks_on_its_own_line(
                        &chars.clone().take_while(|&n| n != '\n').collect::<String>(),
                    );
                if here && (asked_line || asks_next) && !current.trim().is_empty() {
                    let mut line = std::mem::take(&mut current).trim_end().to_string();
                    if !line.ends_with(['?', '!', '.']) {
                        line.push('?');
                    }
                    sentences.push(line);
                    line_start = 0;
                    asked_line = asks_next;
                    continue;
                }
                asked_line = false;
                if !current.trim().is_empty() {
                    current.push(' ');
                }
                line_start = current.len();
                // a blank line or a list item ends a sentence ("- …", "* …", "2. …", "• …",
                // indented or not)
                let next_line_starts_item = chars
                    .clone()
                    .find(|n| *n != ' ' && *n != '\t')
                    .is_some_and(|n| BULLETS.contains(&n) || n.is_ascii_digit());
                // a list item ends at its line's end
                let in_item = is_list_item(&current);
                if (next == Some(&'\n') || next_line_starts_item || in_item)
                    && !current.trim().is_empty()
                {
                    sentences.push(std::mem::take(&mut current));
                }
                continue;
            }
            if current.is_empty() {
                line_start = 0;
            }
            current.push(c);
            // an emoji closes a clause in chat as a full stop does ("… nodded along 😅 wat is
            // fpt?")
            let boundary = matches!(c, '?' | '!')
                || is_emoji(c)
                || (c == '.'
                    && next.is_some_and(|n| n.is_whitespace())
                    && !ends_with_abbreviation(&current));
            if boundary && next.is_none_or(|n| n.is_whitespace()) {
                sentences.push(std::mem::take(&mut current));
            }
        }
        if !current.trim().is_empty() {
            if asked_line && !current.trim_end().ends_with(['?', '!', '.']) {
                current = format!("{}?", current.trim_end());
            }
            sentences.push(current);
        }
        sentences
            .into_iter()
            .map(|s| {
                // kept as it is when there is nothing to trim
                let trimmed = s.trim();
                if trimmed.len() == s.len() {
                    s
                } else {
                    trimmed.to_string()
                }
            })
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// `sentences` reads as its first definition: on every body and subject of the enquiry
    /// sets, raw and cleaned, and on 60,000 texts of generated pieces (line breaks, blank
    /// lines, list items, "?", "!", ". " and abbreviations, emoji, a no-break space and other
    /// text beyond ASCII, tabs, lines that ask on their own).
    #[test]
    fn sentences_read_as_a_character_at_a_time() {
        let mut texts = Vec::new();
        for text in crate::text::labelled_texts(&["body", "subject"]) {
            texts.push(clean_message(&text).text);
            texts.push(text);
        }
        let pieces = [
            "how many days is fpt",
            "and wat can u do with it",
            "I am a GP trainee",
            "what",
            "is FPT paid",
            "Dr. Smith",
            "e.g. this",
            "etc.",
            "?",
            "!",
            ".",
            ". ",
            "?!",
            "\n",
            "\n\n",
            "\n- ",
            "\n* ",
            "\n2. ",
            "\n • ",
            "\t",
            " ",
            "  ",
            "😅",
            "🙂 ",
            "é",
            "café?",
            "\u{A0}",
            ".\u{A0}",
            "\u{2028}",
            "ß.",
            "…",
            "could you tell me",
            "how long",
            "1.5",
            "Thanks.",
            "\r\n",
        ];
        let mut next = crate::text::xorshift(0x5eed_0035);
        for _ in 0..60_000 {
            let len = 1 + next() % 12;
            let mut text = String::new();
            for _ in 0..len {
                let p = pieces[next() % pieces.len()];
                if next().is_multiple_of(2) {
                    text.push(' ');
                }
                text.push_str(p);
            }
            texts.push(text);
        }
        for text in &texts {
            assert_eq!(sentences(text), sentences_by_char(text), "{text:?}");
        }
    }

    /// `may_list_asks` is false only where `split_listed_asks_of` finds no list: on every
    /// sentence of the enquiry sets' bodies and subjects, and on generated questions of
    /// question words (in any case), commas, "and"s, dashes and colons.
    #[test]
    fn a_question_quoted_in_a_statement_is_asked() {
        let qs = split_questions(
            "My AD asked 'why is FPT different in each region?' which I'd love to know too. \
             Also, what's the email address for the FPT mailbox?",
        );
        assert_eq!(qs.len(), 2, "{qs:?}");
        assert!(qs[0].question.contains("why is FPT different"), "{qs:?}");
        // a statement that only mentions asking is not one
        let qs = split_questions("My AD asked about FPT last week. What is the mailbox address?");
        assert_eq!(qs.len(), 1, "{qs:?}");
    }

    #[test]
    fn a_question_that_may_not_list_asks_lists_none() {
        let mut texts: Vec<String> = Vec::new();
        for text in crate::text::labelled_texts(&["body", "subject"]) {
            texts.extend(sentences(&text).into_iter().map(|s| s.to_string()));
            texts.extend(text.lines().map(str::to_string));
        }
        let words = [
            "what", "What", "WHAT", "how", "When", "where", "who", "which", "why", "whether",
            "whats", "the", "pathway", "is", "it", "and", "and", "or", "also", ",", ", ", " - ",
            " – ", ": ", "?", ".", "wHo", "Whо", "what's", "(how", "\u{A0}", "\n",
        ];
        let mut next = crate::text::xorshift(0x9e37_79b9);
        for _ in 0..60_000 {
            let len = 3 + next() % 14;
            let mut text = String::new();
            for _ in 0..len {
                let w = words[next() % words.len()];
                if !text.is_empty() && !w.starts_with([',', ' ', ':', '?', '.']) {
                    text.push(' ');
                }
                text.push_str(w);
            }
            texts.push(text);
        }
        let mut listed = 0;
        for text in &texts {
            let body = listed_asks_body(text);
            let found = split_listed_asks_of(text, body);
            listed += usize::from(found.is_some());
            if !may_list_asks(body) {
                assert_eq!(found, None, "{text:?}");
            }
            assert_eq!(split_listed_asks(text), found, "{text:?}");
        }
        // the generated questions do list asks now and then
        assert!(listed > 100, "{listed}");
    }

    #[test]
    fn line_breaks_are_rewritten_as_replace_rewrites_them() {
        for text in [
            "a\r\nb\rc\n\r\r\nd\r",
            "\r\r\n\n\r",
            "café\r\n€\rß",
            "",
            "no breaks",
        ] {
            assert_eq!(crlf_to_lf(text), text.replace("\r\n", "\n"), "{text:?}");
            assert_eq!(
                line_breaks_to_lf(text),
                text.replace("\r\n", "\n").replace('\r', "\n"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_web_forms_fields_are_furniture_and_its_label_is_not_the_question() {
        let body = "A new enquiry has been submitted via the website.\n\nName: Dr Ayesha Siddiqui\nEmail: a.s@example.org\nGrade: ST4\nHospital: Leeds General Infirmary\nEnquiry: How many days per week does FPT protect?\n\nThis message was generated automatically by the website contact form.";
        let c = clean_message(body);
        assert_eq!(c.text, "How many days per week does FPT protect?");
        assert!(
            c.signature.contains("Hospital: Leeds General Infirmary"),
            "{c:?}"
        );
        // WordPress's form: "From:" and "Subject:" opening the body are fields, not a quote
        let wp = "From: Yasmin Patel <yasmin.patel@example.com>\nSubject: Pathways\n\nMessage Body:\nHello, what pathways does FPT have?\n\n-- \nThis e-mail was sent from a contact form on FPT Network";
        let c = clean_message(wp);
        assert!(c.text.contains("what pathways does FPT have?"), "{c:?}");
        assert!(!c.text.contains("Yasmin"), "{c:?}");
        // a quoted mail's header at the top (a bare forward) is still a quote
        let fwd = "From: FPT team <fpt@example.org>\nSent: 01 March 2026\nTo: Sam\nSubject: RE: FPT\n\nFPT lasts a year.";
        assert!(clean_message(fwd).text.is_empty());
        // one "Name:" line in a letter is the sender's words
        let letter = "Name: my name changed last year.\nCan I still apply for FPT?";
        assert!(clean_message(letter).text.starts_with("Name: my name"));
    }

    #[test]
    fn the_quoted_mail_is_kept_apart_for_its_places() {
        let c = clean_message(
            "Following up on my email below.\n\nMeera\n\n> From: Meera\n> > I'm an ST4 at St James's in Leeds.\n",
        );
        assert_eq!(
            c.quoted_text,
            "From: Meera\nI'm an ST4 at St James's in Leeds.\n"
        );
        assert!(!c.text.contains("Leeds"));
        assert_eq!(clean_message("no quote here").quoted_text, "");
    }

    #[test]
    fn asks_listed_after_a_dash_are_questions_with_the_frame_as_setting() {
        let q = split_questions(
            "I'm a new supervisor. Could you give me a quick summary of the pathways - what they are, how each one is structured, and how long the trainee will be on it?",
        );
        let asked: Vec<&str> = q.iter().map(|q| q.question.as_str()).collect();
        assert_eq!(
            asked,
            [
                "what they are?",
                "how each one is structured?",
                "how long the trainee will be on it?"
            ]
        );
        assert!(q.iter().all(|q| q
            .context
            .contains("I'm a new supervisor. Could you give me a quick summary of the pathways")));
        // a statement listing the asks asks them
        let q = split_questions(
            "I'd like a short paragraph on FPT: what it is, where it came from, and what it's meant to achieve. Would you be able to summarise?",
        );
        assert_eq!(q[0].question, "what it is");
        assert_eq!(q[2].question, "what it's meant to achieve");
        // the last ask joined by "and" alone, and the list's purpose after a second dash
        let q = split_questions(
            "Could you give me a short overview of FPT - what it is, what it is trying to achieve and how it came about - so I can describe it accurately?",
        );
        let asked: Vec<&str> = q.iter().map(|q| q.question.as_str()).collect();
        assert_eq!(
            asked,
            [
                "what it is?",
                "what it is trying to achieve?",
                "how it came about?"
            ]
        );
        assert!(
            q[2].context.contains("so I can describe it accurately"),
            "{q:?}"
        );
        // a list that starts at the first question word, with no dash or colon before it
        let q = split_questions(
            "Could you give me a short overview covering what the scheme is, where it came from and what it's trying to achieve?",
        );
        let asked: Vec<&str> = q.iter().map(|q| q.question.as_str()).collect();
        assert_eq!(
            asked,
            [
                "what the scheme is?",
                "where it came from?",
                "what it's trying to achieve?"
            ]
        );
        assert!(q[0]
            .context
            .starts_with("Could you give me a short overview covering"));
        // a question that is itself a list of asks
        let q = split_questions(
            "What can the protected day be used for, how is each option structured, and how long would I stay on it?",
        );
        assert_eq!(q.len(), 3, "{q:?}");
        assert_eq!(q[1].question, "how is each option structured?");
        // question words joined after a dash are one question
        assert_eq!(
            split_questions("doing a 5 min talk at grand round - when and why was FPT set up?")
                .len(),
            1
        );
        // relative clauses after a comma are no list of asks
        assert_eq!(
            split_listed_asks("I first asked my TPD, who sent me to the postgraduate centre, who sent me to a college tutor, who suggested the RCP, who said it's nothing to do with them."),
            None
        );
        // a list whose first ask opens with its verb
        let q = split_questions(
            "Is there a guide for trainees I could read, what are the four options for the non-clinical day, and how long would I be on whichever one I choose?",
        );
        assert_eq!(q.len(), 3, "{q:?}");
        assert_eq!(q[0].question, "Is there a guide for trainees I could read?");
        assert_eq!(
            q[2].question,
            "how long would I be on whichever one I choose?"
        );
        // (two asks, or a verb-first clause that is no ask, are not such a list)
        assert_eq!(
            split_listed_asks("Is there a guide, and what does it cover?"),
            None
        );
        // one ask after the dash, or a list that is not of asks, is not split
        assert_eq!(
            split_listed_asks("Quick one - what is FPT, and how long does it last?"),
            None
        );
        assert_eq!(
            split_listed_asks("Could you list the pathways - research, education, QI?"),
            None
        );
    }

    #[test]
    fn a_question_listing_lettered_items_is_one_question_per_item() {
        assert_eq!(
            split_enumerated(
                "Could you point me to (a) anything that explains the scheme as a whole, and (b) whatever paperwork we complete when we meet?"
            ),
            Some(vec![
                "Could you point me to anything that explains the scheme as a whole?".to_string(),
                "Could you point me to whatever paperwork we complete when we meet?".to_string(),
            ])
        );
        assert_eq!(split_enumerated("is it 1) paid or 3) unpaid?"), None);
        assert_eq!(split_enumerated("what is (a) FPT?"), None);
    }

    #[test]
    fn a_bare_plea_makes_what_comes_before_it_the_question() {
        let q = split_questions(
            "my ES asked what the 'descriptors' are in the FPT pathways and i just nodded. help?",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(
            q[0].question,
            "my ES asked what the 'descriptors' are in the FPT pathways and i just nodded?"
        );
        // after a question it is that question's plea, and after a statement holding no
        // question it stays what it is (asking nothing answerable)
        let q = split_questions("how long is fpt? any ideas?");
        assert!(q[0].question.starts_with("how long is fpt"), "{q:?}");
        let q = split_questions("Thanks for sending the handbook link yesterday. Any ideas?");
        assert!(
            q.iter()
                .all(|q| !q.question.contains("handbook link yesterday?")),
            "{q:?}"
        );
        // alone, a plea is what there is
        assert_eq!(split_questions("help?")[0].question, "help?");
    }

    #[test]
    fn a_letter_without_a_question_asks_what_it_wants_to_know() {
        let q = split_questions(
            "I'm the divisional director for medicine and I've been asked to release two registrars for a day a week each. Before I agree I'd like to understand what the organisation gets back from the scheme. Thank you for your help.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(
            q[0].question,
            "Before I agree I'd like to understand what the organisation gets back from the scheme."
        );
        assert!(
            q[0].context.starts_with("I'm the divisional director"),
            "{q:?}"
        );
        // asked for someone else: "He'd like to know …"
        let q = split_questions(
            "My partner is an ST5 in geriatrics and asked me to email while he's on call. He'd like to know what the four options for the FPT day are. Thanks, Jess",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(q[0].question.starts_with("He'd like to know"), "{q:?}");
        assert!(q[0].context.starts_with("My partner is"), "{q:?}");
        // a formal letter's "I should be grateful if you could …"
        let q = split_questions(
            "I am writing as a prospective applicant to higher specialty training. I should be most grateful if you could clarify the amount of time that is ring-fenced for trainees. Thank you in advance for your assistance.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(
            q[0].question.starts_with("I should be most grateful"),
            "{q:?}"
        );
        assert!(q[0].context.starts_with("I am writing as"), "{q:?}");
        // "I was hoping to find out …", "we would be grateful for a brief description of …":
        // the statement is the question, the story before and the purpose after its context
        let q = split_questions(
            "FPT came up in a lecture on the NHS workforce. I was hoping to find out what prompted it to be set up. I want to describe it accurately in my article.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(
            q[0].question
                .starts_with("I was hoping to find out what prompted"),
            "{q:?}"
        );
        assert!(
            q[0].context.contains("came up in a lecture") && q[0].context.contains("accurately"),
            "{q:?}"
        );
        let q = split_questions(
            "Several of our new doctors have asked about FPT. We would be grateful for a brief description of the scheme.",
        );
        assert!(
            q[0].question
                .starts_with("We would be grateful for a brief description"),
            "{q:?}"
        );
        // a bare "I'd be grateful for any clarification" names nothing to be described
        let q = split_questions(
            "I wondered whether I could join FPT during core training. I'd be grateful for any clarification.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(q[0].question.contains("whether I could join"), "{q:?}");
        // "My main worry is whether …" asks without a question mark
        let q = split_questions(
            "HEE has taken FPT over from the RCP. My main worry is whether that changes who supervises me. I have a good set-up now.",
        );
        assert!(
            q[0].question.starts_with("My main worry is whether"),
            "{q:?}"
        );
        // a message with a question keeps it as its question
        let q = split_questions("I'd like to know more. What is FPT?");
        assert_eq!(q[0].question, "What is FPT?");
    }

    #[test]
    fn a_guess_after_a_question_is_its_context_not_a_question() {
        let q = split_questions(
            "hey quick one - roughly how much of my working week would be ring-fenced if i got an fpt post? half a day? more?",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(q[0].question.ends_with("fpt post?"), "{q:?}");
        assert_eq!(q[0].context, "half a day? more?");
        // a choice of phrases guesses too; a choice with a clause of its own asks
        let q = split_questions("how much protected time do u get on fpt? full day or half day?");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].context, "full day or half day?");
        assert_eq!(
            split_questions("what are the pathways? research or is it QI?").len(),
            2
        );
        // so does a choice of answers with a pronoun for what was asked
        let q = split_questions("hiya quick q - how many days a week is FPT again? is it 1 or 2?");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].context, "is it 1 or 2?");
        assert_eq!(
            split_questions("how long is FPT? is it paid or is it voluntary and unpaid?").len(),
            2
        );
        // a question of its own after the connective, or a fragment after no real question,
        // stays a question
        assert_eq!(split_questions("Is FPT a year? And is it paid?").len(), 2);
        assert_eq!(split_questions("FPT? Eligibility?").len(), 2);
        let q = split_questions(
            "Is it worth applying with no research background? Or should I give up on the idea?",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].context, "Or should I give up on the idea?");
        assert_eq!(
            split_questions("Is it worth applying? Or who else could I ask about it?").len(),
            2
        );
        assert_eq!(
            split_questions("- how much time is protected?\n- which pathways exist?").len(),
            2
        );
        assert_eq!(
            split_questions("I am a GP trainee. Pathways? Length?").len(),
            2
        );
    }

    #[test]
    fn a_chat_question_without_a_question_mark_is_a_question_of_its_own() {
        let q = split_questions("cardio ST4, am i eligible for fpt? 🙂 also how long does it last");
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[1].question, "also how long does it last");
        // after two connectives
        let q = split_questions(
            "what r the 4 pathways\n\n----\n\noh and how many capabilities in each",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[1].question, "oh and how many capabilities in each");
        // informal "r", after "wait": the guess on the next line belongs to it
        let q = split_questions("wait what r the 4 pathways again\nmed ed and... ?");
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(
            q[0].question
                .starts_with("wait what r the 4 pathways again"),
            "{q:?}"
        );
        // "Kindly advise what …", written as a request, asks as a question does
        let q = split_questions(
            "Kindly advise what is the percentage of the time given. Also is it possible to do the QI pathway.",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        // an emoji closes the remark before a question
        let q = split_questions("someone mentioned it on nights n i just nodded 😅 wat is fpt?");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].question, "wat is fpt?");
        assert_eq!(
            q[0].context,
            "someone mentioned it on nights n i just nodded 😅"
        );
        let q = split_questions("Could you let me know which pathways are available, and also the minimum length of time?");
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[1].question, "the minimum length of time?");
        let q = split_questions(
            "Am I eligible for FPT, and if so how much protected time would I get?",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[1].question, "how much protected time would I get?");
        // "and whether" asks a second, indirect question
        let q = split_questions(
            "Could you confirm the contact email for FPT enquiries, and whether there's an FAQ document we can link to?",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(
            q[1].question,
            "whether there's an FAQ document we can link to?"
        );
        let q =
            split_questions("Is that correct, and if so who is now responsible for the scheme?");
        assert_eq!(q.len(), 1, "{q:?}");
        // an indirect question is a question too; its statements around it are context
        let q = split_questions(
            "Following up on my email from last week. I was asking whether I'd need QI experience for the QI pathway. I've only done one audit.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(
            q[0].question,
            "I was asking whether I'd need QI experience for the QI pathway."
        );
        // "the thing I wanted to ask is whether …", in a mail with no question mark at all
        let q = split_questions(
            "I joined the programme in 2021. Our department is busy. Anyway, the thing I wanted to ask is whether I'm expected to stay on my pathway for a fixed minimum period. I'm hoping to continue.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(
            q[0].question
                .starts_with("Anyway, the thing I wanted to ask is whether"),
            "{q:?}"
        );
        // "Just want to know who …" asks too, without its "I"
        let q = split_questions(
            "A colleague says it's HEE now. Which is it? Just want to know who's actually in charge of the scheme these days.",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[1].question.starts_with("Just want to know who"), "{q:?}");
        // "and wat pathways r there" after a marked question asks too (mobile shorthand)
        let q = split_questions("is fpt 1 day a wk?? and wat pathways r there");
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[1].question.contains("wat pathways r there"), "{q:?}");
        let q = split_questions("What pathways are there. I'm ST4.");
        assert_eq!(q[0].question, "What pathways are there.");
        let q = split_questions("what even is fpt. saw it next to some of the st3 jobs");
        assert_eq!(q[0].question, "what even is fpt.");
        let q = split_questions("I'm an ST4. When I started IMT I did QI. Is FPT open to me?");
        assert_eq!(q.len(), 1, "{q:?}");
        // chat's "like" before an unmarked question: the question that explains the first
        let q = split_questions("pathways? like what are the options and which is most popular");
        assert_eq!(q.len(), 3, "{q:?}");
        assert_eq!(q[1].question, "like what are the options");
        // "like" opening a statement is not a question
        let q = split_questions("Like most regs I have done audits. Can I apply for QI?");
        assert_eq!(q.len(), 1, "{q:?}");
        // "I would like to understand …", "I would kindly like to know …", "My question is
        // whether …" ask without a question mark
        for text in [
            "I'm an IMG. I would like to understand the background of FPT: why it was created. I believe this will help.",
            "I started in the NHS this year. I would kindly like to know which areas I can choose. Thank you.",
            "I have no teaching qualification. My question is whether that is a disadvantage.",
        ] {
            let q = split_questions(text);
            assert_eq!(q.len(), 1, "{q:?}");
            assert!(q[0].question.starts_with("I would") || q[0].question.starts_with("My question"), "{q:?}");
        }
    }

    #[test]
    fn a_joined_question_that_points_back_is_read_with_the_part_before() {
        let q = split_questions(
            "Could you confirm how much protected time FPT gives, and what should she spend it on?",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[1].question, "what should she spend it on?");
        assert!(q[1].context.contains("protected time"), "{q:?}");
        // a part that names its own subject is read alone
        let q = split_questions("How long is FPT, and can I do the research pathway?");
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[1].context.is_empty(), "{q:?}");
        // "that's" points back too
        let q = split_questions(
            "Could you clarify why London wasn't part of the scheme originally, and whether \
             that's likely to change at some point?",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[1].context.contains("London"), "{q:?}");
    }

    #[test]
    fn a_question_put_another_way_is_the_setting_of_the_one_before() {
        let q = split_questions(
            "hey does anyone know how much time FPT actually gives u? like is it a whole day or \
             bits here n there",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(q[0].question.contains("how much time"), "{q:?}");
        assert!(q[0].context.starts_with("like is it a whole day"), "{q:?}");
        // a second question of its own is not
        let q = split_questions("How much time does FPT give? And which pathways are there?");
        assert_eq!(q.len(), 2, "{q:?}");
    }

    #[test]
    fn each_item_of_an_announced_list_is_a_question() {
        let q = split_questions(
            "I'm weighing up whether to go for an FPT post. Could you tell me:\n\n• how much of \
             the week is set aside for it\n• what areas I could choose to focus on\n  • how \
             long I'd need to stay on it",
        );
        let asked: Vec<&str> = q.iter().map(|q| q.question.as_str()).collect();
        assert_eq!(asked.len(), 3, "{q:?}");
        assert!(asked[0].contains("how much of the week"), "{q:?}");
        assert!(asked[1].contains("what areas"), "{q:?}");
        assert!(asked[2].contains("how long"), "{q:?}");
        // the announcement is the first item's setting, not a question of its own
        assert!(q[0].context.ends_with("Could you tell me:"), "{q:?}");
        // an item that states something is not asked
        let q = split_questions("My situation:\n- I am an ST4\n- I work in Leeds\nCan I apply?");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].question, "Can I apply?");
    }

    #[test]
    fn what_the_writer_cannot_work_out_is_a_question() {
        let q = split_questions(
            "I read the webpage twice. The thing I can't work out from the webpage is how much \
             time it gives you. My partner works shifts.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(
            q[0].question.starts_with("The thing I can't work out"),
            "{q:?}"
        );
        assert_eq!(
            q[0].context,
            "I read the webpage twice. My partner works shifts."
        );
    }

    #[test]
    fn an_opening_introduction_is_the_setting_of_the_question_after_it() {
        let q = split_questions("im st4 in leeds, how many days a week is it?");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].question, "how many days a week is it?");
        assert_eq!(q[0].context, "im st4 in leeds");
        let q = split_questions("I'm a consultant in Derby - what does FPT stand for?");
        assert_eq!(q[0].question, "what does FPT stand for?", "{q:?}");
        // where the writer has just come
        let q =
            split_questions("new to Leicester - is the fpt stuff run by the deanery now or RCP?");
        assert_eq!(
            q[0].question, "is the fpt stuff run by the deanery now or RCP?",
            "{q:?}"
        );
        assert_eq!(q[0].context, "new to Leicester", "{q:?}");
        let q = split_questions("just moved to Leeds, how long do FPT posts last?");
        assert_eq!(q[0].question, "how long do FPT posts last?", "{q:?}");
        let q = split_questions("Before I talk to my TPD, how much of my week is protected?");
        assert_eq!(q[0].question, "how much of my week is protected?", "{q:?}");
        assert_eq!(q[0].context, "Before I talk to my TPD", "{q:?}");
        // no introduction, a role asked as, or nothing asked after the comma: one question
        for text in [
            "how many days a week is it, roughly?",
            "As a specialty doctor, can I take part in FPT?",
            "I'm not sure whether I can apply?",
            "I'm an ST4, ok?",
            "I'm really fond of the research pathway, is it possible to combine it with QI?",
            "I'm fond of ascii art, any apps for making it?",
        ] {
            let q = split_questions(text);
            assert_eq!(q.len(), 1, "{q:?}");
            assert_eq!(q[0].question, text, "{q:?}");
        }
    }

    #[test]
    fn each_item_of_a_numbered_list_of_questions_is_a_question() {
        let q = split_questions(
            "Two quick things please:\n1) how much non clinical time do you actually get\n2) is it a one year thing or does it go on for the whole of HST?",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(
            q[0].question,
            "1) how much non clinical time do you actually get"
        );
        assert_eq!(q[0].context, "Two quick things please:");
        // a numbered statement is context, not a question
        let q = split_questions("1) I am an ST4.\n2) I did QI before.\nCan I apply?");
        assert_eq!(q.len(), 1, "{q:?}");
    }

    #[test]
    fn a_forwarders_own_question_is_told_from_a_request_to_answer() {
        assert!(asks_own_question(
            "Please see below from our DME. Can someone from FPT confirm how many FPT posts the Royal Sussex County Hospital will have in the 2027 intake?"
        ));
        assert!(asks_own_question(
            "Could you let me know if my trainee can have her FPT day on Wednesdays at Glenfield?"
        ));
        for own in [
            "Forwarding this from my friend, could you answer please?",
            "See below - can you help?",
            "Any thoughts?",
            "FYI",
            "Can you reply to her directly?",
        ] {
            assert!(!asks_own_question(own), "{own}");
        }
    }

    #[test]
    fn nordic_and_turkish_outlook_header_blocks_start_a_quote() {
        for block in [
            "Från: FPT <fpt@example.org>\nSkickat: den 12 november 2026 10:00\nTill: Anna\nÄmne: SV: FPT",
            "Fra: FPT <fpt@example.org>\nSendt: 12. november 2026 10:00\nTil: Anna\nEmne: SV: FPT",
            "Lähettäjä: FPT <fpt@example.org>\nLähetetty: 12. marraskuuta 2026 10.00\nVastaanottaja: Anna\nAihe: VS: FPT",
            "Kimden: FPT <fpt@example.org>\nGönderildi: 12 Kasım 2026 10:00\nKime: Anna\nKonu: YNT: FPT",
        ] {
            let body = format!("Tack, det var allt.\n\n{block}\n\nFPT protects one day a week.");
            let c = clean_message(&body);
            assert!(c.quoted, "{block}");
            assert!(!c.text.contains("protects"), "{c:?}");
        }
    }

    #[test]
    fn words_written_under_a_quote_are_the_senders() {
        let body = "On Thu, 12 Nov 2026 at 10:00, Flexible Portfolio Training <fpt@example.org> wrote:\n> Dear Ben,\n>\n> FPT is for trainees in the physicianly specialties.\n\nThanks - and how many pathways are there to choose from?\n\nBen";
        let c = clean_message(body);
        assert!(c.quoted);
        assert!(c.text.contains("how many pathways"), "{c:?}");
        assert!(!c.text.contains("physicianly"), "{c:?}");
        // a top-posted reply keeps only what is above the quote
        let body = "How long is it?\n\nOn Thu, 12 Nov 2026 at 10:00, FPT <fpt@example.org> wrote:\n> Dear Ben,\n> FPT is for registrars.\n";
        let c = clean_message(body);
        assert_eq!(c.text, "How long is it?");
    }

    #[test]
    fn a_forwarded_reply_that_asks_nothing_is_not_a_question() {
        let body = "Hi Sarah,\n\nForwarding you the team's reply below as promised - hope it helps!\n\nSophie\n\n---------- Forwarded message ---------\nFrom: FPT Team\nDate: Mon, 9 Jan 2023\nSubject: Re: FPT info\n\nHi Sophie, FPT gives you a protected non-clinical day each week for professional development. Happy to help with anything else.";
        let own = clean_message(body).text;
        assert_eq!(forwarded_question(body, &own, "Fwd: Re: FPT info"), None);
        // a forwarded reply that asks is passed on; so is a forward of a question
        let asks = body.replace(
            "Happy to help with anything else.",
            "Do you know which pathway suits you?",
        );
        assert!(
            forwarded_question(&asks, &clean_message(&asks).text, "Fwd: Re: FPT info").is_some()
        );
        assert!(forwarded_question(body, &own, "Fwd: FPT info").is_some());
    }

    #[test]
    fn a_chat_reply_pointing_at_the_quoted_question_asks_it_again() {
        let quoted = "mo: is there a pathway doc for informatics?";
        assert_eq!(
            asks_the_quoted_again("same question as mo but for med ed please", quoted)
                .map(|(asked, _)| asked)
                .as_deref(),
            Some("is there a pathway doc for informatics, but for med ed please?")
        );
        assert_eq!(
            asks_the_quoted_again("^ this", "priya_r: how long does FPT last?"),
            Some(("how long does FPT last?".to_string(), String::new()))
        );
        assert_eq!(
            asks_the_quoted_again("same q as above but for QI", "is there a doc for research?"),
            Some((
                "is there a doc for research, but for QI?".to_string(),
                "but for QI".to_string()
            ))
        );
        // a reply with a question of its own, a remark, or nothing quoted that asks
        assert_eq!(
            asks_the_quoted_again("^ this. can I keep my FPT if I go OOP?", quoted),
            None
        );
        assert_eq!(asks_the_quoted_again("this is so annoying", quoted), None);
        assert_eq!(
            asks_the_quoted_again("same q as above", "FPT is one day a week."),
            None
        );
        assert_eq!(asks_the_quoted_again("+1", ""), None);
    }

    #[test]
    fn a_mention_of_the_desk_anywhere_is_whom_a_message_asks_not_what() {
        for text in [
            "anyone know if u need research exp? @FPTbot",
            "@jess no idea tbh\n@FPTbot who runs fpt now?",
            "lol ok\n@FPT bot is there a resources list",
            "how long is it? @fpt-team",
        ] {
            assert!(calls_on_the_desk(text), "{text}");
        }
        for text in [
            "@jess do u know",
            "email a.b@fpt.example.org",
            "how long is fpt?",
            "@jess I asked @FPTbot and it said the forms are on the HEE page",
            "@jess did you ask @FPTbot about the forms yet?",
        ] {
            assert!(!calls_on_the_desk(text), "{text}");
        }
        assert_eq!(
            clean_message("anyone know if u need research exp for the research pathway?\n@FPTbot")
                .text,
            "anyone know if u need research exp for the research pathway?"
        );
        assert_eq!(
            clean_message("lol ok\n@FPT bot is there a resources list for QI").text,
            "lol ok\n is there a resources list for QI"
        );
        assert_eq!(clean_message("@FPTbot").text, "@FPTbot");
    }

    #[test]
    fn a_cover_note_passes_on_the_forwarded_question() {
        let body = "Hi FPT team, forwarding this from my friend, could you answer please?\n\n---------- Forwarded message ---------\n> On Tue 14 Feb, Aoife wrote:\n> Hey, do you know if you can see which posts are FPT ones when you rank them?\n> A\n\nThanks!\nJess";
        let own = clean_message(body).text;
        let q = forwarded_question(body, &own, "");
        assert!(
            q.as_deref()
                .is_some_and(|q| q.contains("which posts are FPT ones")
                    && !q.contains("forwarding")
                    && !q.contains("wrote")),
            "{q:?}"
        );
        // lines quoted with ">" under a cover note, with no banner or "wrote:" line
        let body = "Forwarding a question from a colleague - can you reply to me and I'll pass it on?\n\n> Hi, is FPT open to IMT trainees or only registrars?\n\nThanks,\nDr B. Moss";
        let q = forwarded_question(body, &clean_message(body).text, "Fwd: FPT for IMT?");
        assert!(
            q.as_deref()
                .is_some_and(|q| q.contains("open to IMT trainees") && !q.contains('>')),
            "{q:?}"
        );
        // Outlook's banner, and a place only the passed-on text names
        let body = "Hi FPT team - see below, any advice? My rota coordinator won't budge.\n\nRaj\n\n-----Original Message-----\nFrom: Rota Coordinator\nSent: 03 March\nTo: Singh, Raj\nSubject: RE: FPT day\n\n> Dr Singh, we are unable to guarantee your Thursday FPT day at Birmingham Heartlands Hospital.\n";
        let q = forwarded_question(body, &clean_message(body).text, "");
        assert!(
            q.as_deref()
                .is_some_and(|q| q.contains("Birmingham Heartlands") && !q.contains("Subject")),
            "{q:?}"
        );
        // "would you mind replying to her directly?" only asks that the question be answered
        let body = "Hi team,\n\nForwarding from one of our IMTs who wasn't sure who to ask. Would you mind replying to her directly (cc me)?\n\nThanks,\nDr K. Tanaka\n\n---------- Forwarded message ---------\nFrom: Femi Adeyemi <f@example.org>\nDate: Tue, 21 Feb 2023 at 08:02\nSubject: FPT question\n\nI'm IMT3 and keen on the medical education pathway. Can I start FPT now, or do I have to wait until I'm a registrar?\n\nThanks,\nFemi";
        let q = forwarded_question(body, &clean_message(body).text, "Fwd: FPT");
        assert!(
            q.as_deref()
                .is_some_and(|q| q.contains("Can I start FPT now")),
            "{q:?}"
        );
        // a bare forward, with no word of the forwarder's own: the forwarded question
        let body = "---------- Forwarded message ---------\nFrom: Sam Lee <sam@example.org>\nDate: Tue, 3 Mar\nSubject: FPT\n\nHow long does FPT last?\n";
        let own = clean_message(body).text;
        assert_eq!(own.trim(), "", "{own:?}");
        assert_eq!(
            forwarded_question(body, &own, "").as_deref().map(str::trim),
            Some("How long does FPT last?")
        );
        // a reply of thanks above the quote of our answer is not a forward: nothing is passed
        // on, whichever client wrote the banner; a bare Outlook forward still is
        for banner in [
            "-----Original Message-----",
            "-------- Original message --------",
        ] {
            let body = format!("Thanks!\n\n{banner}\nFrom: FPT Team <fpt@example.org>\nSent: 09 November 2022 10:02\nSubject: RE: How long is FPT\n\nYou will spend a minimum of one year on your pathway.");
            let own = clean_message(&body).text;
            assert_eq!(own.trim(), "", "{own:?}");
            assert_eq!(
                forwarded_question(&body, &own, "RE: How long is FPT"),
                None,
                "{banner}"
            );
            assert!(
                forwarded_question(&body, &own, "FW: How long is FPT").is_some(),
                "{banner}"
            );
        }
        // a cover note above an Outlook header block under a rule, or above Apple's "On …
        // wrote:", or "pls advise" above a forward: the question below is passed on
        for (subject, body, question) in [
            ("FW: pathways", "see below pls\n\n________________________________\nFrom: Jo Taylor\nSent: Friday, 4 November 2022 16:02\nTo: FPT admin\nSubject: pathways\n\nHello, can you tell me what the pathways are?\n\nJo", "what the pathways are"),
            ("Fwd: FPT time", "FYI\n\nOn 4 Nov 2022, at 16:02, Jo Taylor <jo.taylor@example.org> wrote:\n\nHi, how much protected time do FPT trainees get per week?", "how much protected time"),
            ("FW: FPT", "pls advise\n\n-----Original Message-----\nFrom: Dr Jo Taylor\nSubject: FPT\n\nDo you need prior experience to do the research pathway?", "prior experience"),
            // a note saying someone asked for it to be sent on, above a bare Outlook block
            ("FW: FPT supervision", "Hi, my ES asked me to send this on. Thanks, Dan\n\nFrom: Dr Helen Marsh\nSent: 02 March 2023 17:55\nTo: Daniel Pryce\nSubject: FPT supervision\n\nDan - does the move to HEE change how I supervise your FPT day?\nH", "how I supervise"),
            ("Fwd: FPT", "sending this on from one of our F2s\n\n---------- Forwarded message ---------\nFrom: Amy\nDate: Mon, 6 Mar 2023\nSubject: FPT\n\nHow long does FPT last?", "How long"),
        ] {
            let own = clean_message(body).text;
            let q = forwarded_question(body, &own, subject);
            assert!(
                q.as_deref().is_some_and(|q| q.contains(question) && !q.contains("From")),
                "{subject}: {own:?} -> {q:?}"
            );
        }
        // "asked me about the below" passes on what is below
        let body = "One of my IMT2s asked me about the below and I wasn't sure - could you reply to us both?\n\nThanks,\nDr Paula Grant\n\n-----Original Message-----\nFrom: Ade Ogunleye\nSent: Tuesday\nSubject: FPT?\n\nI keep hearing about FPT - what actually is it?";
        let q = forwarded_question(body, &clean_message(body).text, "Fw: FPT?");
        assert!(q.is_some_and(|q| q.contains("what actually is it")));
        // a longer note whose only asks are to answer it ("so I can pass it on", "so I can
        // reply to her"): the question below is passed on
        for (note, question) in [
            ("A colleague asked me this and I realised I couldn't answer it with any confidence either. Would you mind letting me know so I can pass it on?", "minimum time"),
            ("One of my trainees sent me this. I'd be grateful if you could clarify so I can reply to her.", "coming to the Thames Valley"),
        ] {
            let body = format!("{note}\n\nThanks,\nMo\n\n---------- Forwarded message ---------\nFrom: Dr Claire Bennett\nDate: Mon, 13 Feb 2023 at 21:47\nSubject: FPT\nTo: Mo\n\nHi Mo,\n\nIs there a minimum time you have to stay on FPT? And is FPT coming to the Thames Valley?\n\nC x");
            let q = forwarded_question(&body, &clean_message(&body).text, "Fwd: FPT");
            assert!(q.is_some_and(|q| q.contains(question)), "{note}");
        }
        // a longer note with a question of its own keeps it
        let body = "One of my trainees sent me the below, which I can answer, but I would also like to know how many FPT posts the Royal Sussex will have in 2027 for our planning?\n\n---------- Forwarded message ---------\nFrom: Sam\nDate: Mon\nSubject: FPT\n\nHow long is FPT?";
        assert_eq!(
            forwarded_question(body, &clean_message(body).text, ""),
            None
        );
        // a reply's own words that are no cover note are the question, whatever is quoted
        let body = "Thanks - and how long is it?\n\nOn 4 Nov 2022, at 16:02, FPT <fpt@example.org> wrote:\n\nThere are four pathways.";
        assert_eq!(
            forwarded_question(body, &clean_message(body).text, "Re: pathways"),
            None
        );
        // thanks that say our answer will be passed on quote no question of ours
        let body = "Thanks, will pass this on to my colleague.\n\n> On 3 Jul 2023, FPT Team wrote:\n> FPT is for trainees in the physicianly specialties.\n>\n> > Is FPT open to core trainees, or only registrars?";
        assert_eq!(
            forwarded_question(body, &clean_message(body).text, "Re: Eligibility"),
            None
        );
        // the forwarder's own question is kept
        let body = "Forwarding this, but my own question is whether I can apply for the research pathway in my final year of training before CCT and still finish on time?\n---------- Forwarded message ---------\nHow long is FPT?";
        assert_eq!(
            forwarded_question(body, &clean_message(body).text, ""),
            None
        );
    }

    #[test]
    fn strips_greeting_and_sign_off_and_keeps_the_name() {
        let c = clean_message(
            "Dear team, what proportion of the week is set aside for FPT?\nThanks, Dr D. Moore",
        );
        assert_eq!(c.text, "what proportion of the week is set aside for FPT?");
        assert_eq!(c.signed_name.as_deref(), Some("Dr D. Moore"));
    }

    #[test]
    fn sign_off_on_its_own_line_with_signature_block() {
        let c = clean_message("Hello,\n\nHow long is the pathway?\n\nKind regards,\nRuth Smith\nST4 Cardiology\nFreeman Hospital");
        assert_eq!(c.text, "How long is the pathway?");
        assert_eq!(c.signed_name.as_deref(), Some("Ruth Smith"));
        assert!(c.signature.contains("Freeman Hospital"));
        // thanks for any help offered, then a name and a role
        let c = clean_message("Hello,\n\nHow long is the pathway?\n\nThank you very much for any help you can give,\n\nElla Wright\nYear 4 Medical Student");
        assert_eq!(c.text, "How long is the pathway?");
        assert_eq!(c.signed_name.as_deref(), Some("Ella Wright"));
        // a signature written as the fields of one long line
        let c = clean_message("Hi,\n\nWhere do I find the form?\n\nThanks,\nSunita\n\nDr Sunita Patel | ST5 Renal Medicine | University Hospitals Birmingham NHS Foundation Trust");
        assert_eq!(c.text, "Where do I find the form?");
        assert!(
            c.signature.contains("University Hospitals Birmingham"),
            "{c:?}"
        );
    }

    #[test]
    fn closings_of_british_letters_sign_off() {
        for closing in [
            "With thanks,",
            "With many thanks,",
            "Thanks and regards,",
            "Warm wishes,",
        ] {
            let body = format!("Hello,\n\nHow long is the pathway?\n\n{closing}\nDr Imogen Carr\nConsultant Acute Physician");
            let c = clean_message(&body);
            assert_eq!(c.text, "How long is the pathway?", "{closing}");
            assert_eq!(
                c.signed_name.as_deref(),
                Some("Dr Imogen Carr"),
                "{closing}"
            );
        }
    }

    #[test]
    fn strips_gmail_quote_even_when_wrapped() {
        let c = clean_message(
            "Is London included now?\n\nOn Mon, 3 Oct 2022 at 10:00, FPT Team <fpt@example.org>\nwrote:\n> FPT protects one day a week.\n> Regards",
        );
        assert_eq!(c.text, "Is London included now?");
        assert!(c.quoted);
    }

    #[test]
    fn strips_outlook_from_sent_block_and_quote_marks() {
        let body = "Thanks, and does it run in Wessex?\n\n________________________________\nFrom: FPT Mailbox <fpt@example.org>\nSent: 03 October 2022 10:00\nTo: Dr X\nSubject: RE: FPT\n\nOld text about research pathway";
        let c = clean_message(body);
        assert_eq!(c.text, "Thanks, and does it run in Wessex?");
        let c = clean_message("Which pathways?\n> quoted research text\n> more");
        assert_eq!(c.text, "Which pathways?");
    }

    #[test]
    fn drops_mobile_footers_and_dash_signatures() {
        let c = clean_message("how long is fpt\n\nSent from my iPhone");
        assert_eq!(c.text, "how long is fpt");
        let c = clean_message("who runs fpt?\n-- \nDr A\nLeeds Teaching Hospitals");
        assert_eq!(c.text, "who runs fpt?");
        assert!(c.signature.contains("Leeds"));
    }

    #[test]
    fn a_question_that_starts_with_thanks_is_not_a_sign_off() {
        let c = clean_message("Thanks for the info. Is there a handbook?");
        assert!(c.text.contains("handbook"));
    }

    #[test]
    fn a_thanks_clause_followed_by_the_senders_words_is_kept() {
        for body in [
            "Thanks - I'd still like to know about pay.",
            "Thanks, I'd like to withdraw from FPT",
            "Thank you, but I asked about pensions, not pathways.",
            "Thanks for nothing, I still don't know if it's paid",
            "Many thanks. I'd like to withdraw from FPT",
            "Hi,\n\nThanks, I'd like to withdraw from FPT\n\nPriya",
        ] {
            let c = clean_message(body);
            assert!(
                c.text.contains("I"),
                "{body:?} lost the sender's words: {:?}",
                c.text
            );
        }
        let c = clean_message("Thanks for your reply, but I asked about pensions.\nCan you check?");
        assert!(c.text.contains("pensions"), "{:?}", c.text);
        // closings and pure thanks are still not the sender's question
        for (body, name) in [
            ("How long is FPT?\n\nThanks, Priya Shah", Some("Priya Shah")),
            (
                "How long is FPT?\n\nThanks again for all your help\nPriya",
                None,
            ),
            (
                "How long is FPT?\n\nThanks so much, much appreciated!",
                None,
            ),
        ] {
            let c = clean_message(body);
            assert_eq!(c.text, "How long is FPT?", "{body:?}");
            if name.is_some() {
                assert_eq!(c.signed_name.as_deref(), name, "{body:?}");
            }
        }
        for body in ["thanks!", "Thanks so much, much appreciated!", "Thank you!"] {
            assert_eq!(clean_message(body).text, "", "{body:?}");
        }
    }

    fn questions(text: &str) -> Vec<(String, String)> {
        split_questions(text)
            .into_iter()
            .map(|q| (q.context, q.question))
            .collect()
    }

    #[test]
    fn splits_several_questions_keeping_their_context() {
        assert_eq!(
            questions("I'm a GP trainee. Can I apply? Also, how long does it last?"),
            vec![
                ("I'm a GP trainee.".into(), "Can I apply?".into()),
                (String::new(), "Also, how long does it last?".into())
            ]
        );
        assert_eq!(
            questions("how much time do you get for fpt"),
            vec![(String::new(), "how much time do you get for fpt".into())]
        );
        assert_eq!(
            questions("Dr. Smith said so. Is it one day?"),
            vec![("Dr. Smith said so.".into(), "Is it one day?".into())]
        );
    }

    #[test]
    fn a_clause_before_what_the_writer_wants_to_know_is_its_setting() {
        assert_eq!(
            questions(
                "We've got a registrar joining in August and I need to know what proportion \
                 of their time comes off the rota."
            ),
            vec![(
                "We've got a registrar joining in August".into(),
                "I need to know what proportion of their time comes off the rota.".into()
            )]
        );
        // indirect asks: grateful to know, trying to understand, help me understand
        for (text, setting, asked) in [
            (
                "I'm a registrar at St James's and I'd be grateful to know how many capabilities make up each FPT pathway.",
                "I'm a registrar at St James's",
                "I'd be grateful to know how many capabilities make up each FPT pathway.",
            ),
            (
                "I'm on the rota team and I'm trying to understand whether the FPT day counts as clinical.",
                "I'm on the rota team",
                "I'm trying to understand whether the FPT day counts as clinical.",
            ),
            (
                "I'm hoping someone can help me understand why FPT was set up. My consultant thinks it's about research output.",
                "My consultant thinks it's about research output.",
                "I'm hoping someone can help me understand why FPT was set up.",
            ),
        ] {
            assert_eq!(questions(text), vec![(setting.into(), asked.into())], "{text}");
        }
        // a lone "and" or a two-word clause is not a setting
        assert_eq!(
            questions("Thanks and I'd like to know what the scheme offers."),
            vec![(
                String::new(),
                "Thanks and I'd like to know what the scheme offers.".into()
            )]
        );
    }

    #[test]
    fn splits_two_asks_joined_in_one_sentence() {
        assert_eq!(
            questions("what does FPT stand for and who set it up originally"),
            vec![
                (String::new(), "what does FPT stand for".into()),
                // "it" is what the first part named
                (
                    "what does FPT stand for".into(),
                    "who set it up originally".into()
                )
            ]
        );
        // or with a hedge: "…, and roughly how much …"
        let q =
            questions("Would I be eligible at this stage, and roughly how much of my week is it?");
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[1].1, "how much of my week is it?");
        let q = questions("Where did FPT come from and roughly when was that?");
        assert_eq!(q.len(), 1, "{q:?}");
        // the second ask may open with a preposition
        assert_eq!(
            questions("how much time per week would I get and for how many years at minimum?"),
            vec![
                (String::new(), "how much time per week would I get".into()),
                (String::new(), "how many years at minimum?".into())
            ]
        );
        // a single ask with "and" stays whole
        assert_eq!(questions("how and when do I apply?").len(), 1);
        // a yes/no ask joined to another is a question of its own
        assert_eq!(
            questions("How many days a week is FPT, and does it affect my pay?"),
            vec![
                (String::new(), "How many days a week is FPT".into()),
                (
                    "How many days a week is FPT".into(),
                    "does it affect my pay?".into()
                )
            ]
        );
        assert_eq!(questions("Is FPT one day a week and is it paid?").len(), 2);
        // chat joins two asks with "+" or "&"
        assert_eq!(
            questions("how do i apply for an fpt post + when is the 2023 round"),
            vec![
                (String::new(), "how do i apply for an fpt post".into()),
                (String::new(), "when is the 2023 round".into())
            ]
        );
        assert_eq!(
            questions("Can I apply for FPT and research at once?").len(),
            1
        );
    }

    const QUESTION: &str = "Which pathways can I choose from?";

    #[test]
    fn quote_attributions_in_each_language_end_the_senders_words() {
        for (lang, attribution) in [
            (
                "en",
                "On Mon, 1 Dec 2025 at 09:12, FPT <fpt@example.org> wrote:",
            ),
            (
                "cy",
                "Ar 1 Rhag 2025, am 09:12, ysgrifennodd FPT <fpt@example.org>:",
            ),
            (
                "de",
                "Am 01.12.2025 um 09:12 schrieb FPT <fpt@example.org>:",
            ),
            (
                "fr",
                "Le 01/12/2025 à 09:12, Flexible Portfolio Training a écrit :",
            ),
            (
                "es",
                "El lun, 1 dic 2025 a las 9:12, FPT (<fpt@example.org>) escribió:",
            ),
            (
                "it",
                "Il giorno lun 1 dic 2025 alle ore 09:12 FPT <fpt@example.org> ha scritto:",
            ),
            (
                "nl",
                "Op ma 1 dec 2025 om 09:12 schreef FPT <fpt@example.org>:",
            ),
            (
                "pt",
                "Em seg., 1 de dez. de 2025 às 09:12, FPT <fpt@example.org> escreveu:",
            ),
            ("pl", "W dniu 1.12.2025 o 09:12, FPT pisze:"),
        ] {
            let body =
                format!("{QUESTION}\n\n{attribution}\n> FPT protects one day a week.\n> Regards");
            let c = clean_message(&body);
            assert_eq!(c.text, QUESTION, "{lang}");
            assert!(c.quoted, "{lang}");
        }
        // an attribution wrapped over two lines
        let c = clean_message(&format!(
            "{QUESTION}\n\nLe lun. 1 déc. 2025 à 09:12, Flexible Portfolio Training\n<fpt@example.org> a écrit :\n> old"
        ));
        assert_eq!(c.text, QUESTION);
        // "wrote:" in the sender's own words is not an attribution
        let own = "My supervisor wrote:\nyou can use FPT for research. Is that right?";
        assert!(clean_message(own).text.contains("Is that right?"));
    }

    #[test]
    fn outlook_header_blocks_in_other_languages_end_the_senders_words() {
        for block in [
            "Von: FPT <fpt@example.org>\nGesendet: Montag, 1. Dezember 2025 09:12\nAn: Dr A\nBetreff: FPT",
            "De : FPT <fpt@example.org>\nEnvoyé : lundi 1 décembre 2025 09:12\nÀ : Dr A\nObjet : FPT",
            "De: FPT <fpt@example.org>\nEnviado el: lunes, 1 de diciembre de 2025 9:12\nPara: Dr A\nAsunto: FPT",
            "Da: FPT <fpt@example.org>\nInviato: lunedì 1 dicembre 2025 09:12\nA: Dr A\nOggetto: FPT",
            "Van: FPT <fpt@example.org>\nVerzonden: maandag 1 december 2025 09:12\nAan: Dr A\nOnderwerp: FPT",
            "De: FPT <fpt@example.org>\nEnviada em: segunda-feira, 1 de dezembro de 2025 09:12\nPara: Dr A\nAssunto: FPT",
            "Od: FPT <fpt@example.org>\nWysłano: poniedziałek, 1 grudnia 2025 09:12\nDo: Dr A\nTemat: FPT",
            "-----Ursprüngliche Nachricht-----\nold text",
            "-----Message d'origine-----\nold text",
        ] {
            let c = clean_message(&format!("{QUESTION}\n\n{block}\n\nOld answer about protected time"));
            assert_eq!(c.text, QUESTION, "{block}");
        }
    }

    #[test]
    fn greetings_thanks_and_sign_offs_in_each_language_are_not_the_question() {
        for (lang, greeting, thanks, sign_off) in [
            ("en", "Hello,", "Thanks for your reply.", "Kind regards,"),
            ("cy", "Annwyl dîm,", "Diolch am eich ateb.", "Cofion gorau,"),
            (
                "de",
                "Sehr geehrte Damen und Herren,",
                "Vielen Dank für Ihre Antwort.",
                "Mit freundlichen Grüßen",
            ),
            (
                "fr",
                "Bonjour,",
                "Merci pour votre réponse.",
                "Bien cordialement,",
            ),
            ("es", "Hola,", "Gracias por su respuesta.", "Un saludo,"),
            (
                "it",
                "Buongiorno,",
                "Grazie per la risposta.",
                "Cordiali saluti,",
            ),
            (
                "nl",
                "Beste,",
                "Bedankt voor uw antwoord.",
                "Met vriendelijke groet,",
            ),
            ("pt", "Olá,", "Obrigado pela resposta.", "Atenciosamente,"),
            (
                "pl",
                "Dzień dobry,",
                "Dziękuję za odpowiedź.",
                "Z poważaniem,",
            ),
        ] {
            let body =
                format!("{greeting}\n\n{thanks}\n\n{QUESTION}\n\n{sign_off}\nCamille Durand\n");
            let c = clean_message(&body);
            assert_eq!(c.text, QUESTION, "{lang}: {:?}", c.text);
            assert_eq!(c.signed_name.as_deref(), Some("Camille Durand"), "{lang}");
        }
    }

    #[test]
    fn the_handles_a_chat_message_is_addressed_to_are_not_its_question() {
        assert_eq!(
            clean_message("@fpt-bot who do i email about fpt").text,
            "who do i email about fpt"
        );
        assert_eq!(
            clean_message("hey @sam.k, <@!1234> is the fpt day 20%?").text,
            "is the fpt day 20%?"
        );
        assert_eq!(
            clean_message("<@1234>: what are the pathways?").text,
            "what are the pathways?"
        );
        // a first name asked, with no "@": a question first put to someone else
        assert_eq!(
            clean_message("Gill do u know how the FPT pathways are actually laid out?").text,
            "do u know how the FPT pathways are actually laid out?"
        );
        assert_eq!(
            clean_message("Sam, could you tell me how long FPT lasts?").text,
            "could you tell me how long FPT lasts?"
        );
        assert_eq!(
            clean_message("Dr Patel, can you tell me who FPT is for?").text,
            "can you tell me who FPT is for?"
        );
        assert_eq!(
            clean_message("Jess, who exactly is FPT aimed at?").text,
            "who exactly is FPT aimed at?"
        );
        for text in [
            "How do you apply for FPT?",
            "Thanks, can you tell me how long FPT lasts?",
            "Research, is it one of the pathways?",
            "Honestly can you tell me how long FPT is?",
            "Apologies can you tell me who to email about FPT?",
        ] {
            assert_eq!(clean_message(text).text, text);
        }
        // a handle alone is kept; one inside the message is part of it
        assert_eq!(clean_message("@fpt-bot").text, "@fpt-bot");
        assert_eq!(
            clean_message("is the day 20%? asking for @sam").text,
            "is the day 20%? asking for @sam"
        );
    }

    #[test]
    fn what_a_guide_covers_is_one_ask() {
        let q = split_questions(
            "Is there a guide or handbook that covers how FPT works and what is expected of supervisors?",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        // two asks joined after a plain question are still two
        let q = split_questions("How long does FPT last and what are the pathways?");
        assert_eq!(q.len(), 2, "{q:?}");
        let q = split_questions(
            "What are the pathways I could choose, and must I already have experience in the area I choose?",
        );
        assert_eq!(q.len(), 2, "{q:?}");
    }

    #[test]
    fn asking_whether_anyone_knows_is_a_question_without_a_question_mark() {
        let q = split_questions(
            "is fpt coming to london?? any idea when - will there be posts at KCH for this aug",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(
            q[1].question,
            "any idea when - will there be posts at KCH for this aug"
        );
        let q = split_questions("thanks! anyone know if the research pathway has its own document");
        assert_eq!(
            q.last().map(|q| q.question.as_str()),
            Some("anyone know if the research pathway has its own document"),
            "{q:?}"
        );
        // a chat question opened by "is" and its subject, without a question mark
        let q = split_questions(
            "wait what are the pathways again? is leadership/management one of them or not",
        );
        assert_eq!(q.len(), 2, "{q:?}");
        // a statement opened by "did" is not one
        let q = split_questions("is there a med ed option? did a bit of teaching as an FY2");
        assert_eq!(q.len(), 1, "{q:?}");
        // an idea that is had, not asked for
        let q = split_questions("is QI a pathway? no idea why I thought it wasn't");
        assert_eq!(q.len(), 1, "{q:?}");
    }

    #[test]
    fn a_greeting_with_an_aside_is_still_a_greeting() {
        let c =
            clean_message("Hi all (and copying the FPT team),\n\nIs research one of the pathways?");
        assert_eq!(c.text, "Is research one of the pathways?");
    }

    #[test]
    fn a_long_run_on_question_is_what_the_writer_wants_to_know() {
        let q = split_questions("so I'm dictating this in the car so apologies if it comes out weird I'm an ST4 in geriatrics and I've been on the research pathway since last August and honestly it's been brilliant and anyway the reason I'm writing is I wanted to know whether I can keep going with it until I finish training?");
        assert_eq!(q.len(), 1);
        assert_eq!(
            q[0].question,
            "I wanted to know whether I can keep going with it until I finish training?"
        );
        assert!(q[0].context.contains("research pathway"), "{q:?}");
        // a punctuated one is one question
        let q = split_questions("One of our registrars asked me for the FPT team's email address to send an enquiry to - could you let me know what it is?");
        assert!(q[0].question.starts_with("One of our"), "{q:?}");
        // a short one is one question
        let q = split_questions("I'm an ST3 and I was wondering how much time FPT gives?");
        assert_eq!(
            q[0].question,
            "I'm an ST3 and I was wondering how much time FPT gives?"
        );
    }

    #[test]
    fn a_greeting_run_into_the_question_is_still_a_greeting() {
        for (text, asked) in [
            (
                "hi there i'm an st3 and i was wondering how long it lasts",
                "i'm an st3 and i was wondering how long it lasts",
            ),
            (
                "Hi Sam can you tell me what FPT is?",
                "can you tell me what FPT is?",
            ),
            ("hello how long does FPT last", "how long does FPT last"),
            // a greeting that goes on about something else is left whole
            ("Hi team FPT question", "Hi team FPT question"),
        ] {
            assert_eq!(clean_message(text).text, asked, "{text}");
        }
    }

    #[test]
    fn a_bare_name_on_the_last_line_is_a_signature() {
        let c = clean_message("How many days a week is FPT?\nPriya");
        assert_eq!(c.text, "How many days a week is FPT?");
        assert_eq!(c.signed_name.as_deref(), Some("Priya"));
        // ending with an initial and its full stop
        let c = clean_message("How long does FPT last?\n\nDr Priya N.");
        assert_eq!(c.text, "How long does FPT last?");
        assert_eq!(c.signed_name.as_deref(), Some("Dr Priya N."));
        // a short sentence is not a name
        let c = clean_message("How long does FPT last?\n\nThanks A lot.");
        assert!(c.signed_name.is_none(), "{c:?}");
        // a one-line message is not a name
        assert_eq!(clean_message("Pathways").text, "Pathways");
        // a name with a line of role under it, without a sign-off
        let c = clean_message(
            "Dear team,\n\nDo the regions run FPT differently?\n\nJo Bloggs\nST5 Renal Medicine",
        );
        assert_eq!(c.text, "Do the regions run FPT differently?");
        assert_eq!(c.signed_name.as_deref(), Some("Jo Bloggs"));
        assert!(c.signature.contains("ST5 Renal Medicine"));
        // after a sentence closed by an emoji
        let c =
            clean_message("Brilliant, that's exactly what I needed - thanks so much! 🙏\n\nMaya");
        assert_eq!(c.signed_name.as_deref(), Some("Maya"), "{c:?}");
        assert!(!c.text.contains("Maya"), "{c:?}");
        // a last line of words after the question is not a signature
        let c = clean_message("Is FPT paid?\nNot sure who else to ask about this one");
        assert!(c.text.contains("Not sure who else"), "{c:?}");
        // typed on a phone without a full stop: the last paragraph signs it all the same
        let c = clean_message(
            "do I need to do anything diff with their supervision\n\nRaj Patel\nConsultant Physician",
        );
        assert_eq!(
            c.text,
            "do I need to do anything diff with their supervision"
        );
        assert_eq!(c.signed_name.as_deref(), Some("Raj Patel"));
        let c = clean_message("where will details go up\n\nSana");
        assert_eq!(c.text, "where will details go up");
        // a last paragraph that asks is no name, nor one in title case after nothing asked
        let c = clean_message("Hi\n\nis FPT still running");
        assert!(c.text.contains("is FPT still running"), "{c:?}");
        for body in [
            "Hi\n\nHandbook Please",
            "Hi team\n\nFPT Contact Email",
            "Hello\n\nMy trust wont give me my FPT day and my rota coordinator says no\n\nNeed Advice Urgently",
        ] {
            let c = clean_message(body);
            assert_eq!(c.signed_name, None, "{body}: {c:?}");
        }
    }

    #[test]
    fn two_short_lines_that_each_ask_are_two_questions() {
        let q = split_questions("how many days is fpt\nand wat can u do with it");
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[0].question, "how many days is fpt?");
        let q = split_questions("how many days is fpt\nwhat can u do with it");
        assert_eq!(q.len(), 2, "{q:?}");
        let q = split_questions("who runs fpt now\nhow long is it");
        assert_eq!(q.len(), 2, "{q:?}");
        // a line that carries its question on to the next is one sentence wrapped
        let q = split_questions("Could you tell me\nhow long it lasts");
        assert_eq!(q.len(), 1, "{q:?}");
        // as is a line wrapped at the width of a mail
        let q = split_questions(
            "Could you confirm whether registrars who are already in their ST4 year are\nable to apply?",
        );
        assert_eq!(q.len(), 1, "{q:?}");
    }

    #[test]
    fn confidentiality_notices_image_placeholders_and_time_zones_are_not_text() {
        let notices = [
            "IMPORTANT NOTICE: The contents of this message are private and may be legally privileged.",
            "**********************************************\nThis e-mail and any files transmitted with it are confidential and intended solely for the addressee.",
            "DISCLAIMER: This email is intended only for the named recipient.",
            "The information contained in this e-mail is confidential and may be privileged.",
            "If you are not the intended recipient, please tell the sender and delete this message.",
            "This message may contain confidential information. If you have received it in error, tell us.",
            "********************************************************************\nNHSmail is the secure email and directory service available for all NHS staff.",
        ];
        for notice in notices {
            let body = format!("Hi,\n\nHow many days a week do I get for FPT?\n\nThanks,\nEleanor\n\nDr Eleanor Price\nST5\n\n{notice}\nMore words of the notice.\n");
            let c = clean_message(&body);
            assert_eq!(c.text, "How many days a week do I get for FPT?", "{notice}");
            assert_eq!(c.signed_name.as_deref(), Some("Eleanor"));
        }
        let c = clean_message("[cid:image001.png@01DA4C2B.5E3F1A20]\nHow long is FPT?\n[cid:image002.jpg@01DA4C2B.5E3F1A20]");
        assert_eq!(c.text, "How long is FPT?");
        let c = clean_message(
            "Sent: Tuesday 12:30 (UTC+00:00) Dublin, Edinburgh, Lisbon, London\nHow long is FPT?",
        );
        assert!(!c.text.contains("London"), "{:?}", c.text);
    }

    #[test]
    fn inline_forwards_give_the_original_sender_and_text() {
        let outlook = "Please see below.\n\nThanks,\nGemma\n\n________________________________\nFrom: Kwame Osei <kwame.osei@example.net>\nSent: 09 December 2025 21:14\nTo: Gemma Whitfield <g@example.org>\nSubject: FPT question\n\nDear Gemma,\n\nWhich pathways can I choose from?\n\nBest wishes,\nKwame Osei";
        let gmail = "FYI\n\n---------- Forwarded message ---------\nFrom: Kwame Osei <kwame.osei@example.net>\nDate: Tue, 9 Dec 2025 at 21:14\nSubject: FPT question\nTo: <g@example.org>\n\n\nWhich pathways can I choose from?";
        let apple = "Begin forwarded message:\n\nFrom: Kwame Osei <kwame.osei@example.net>\nSubject: FPT question\nDate: 9 December 2025 at 21:14:00 GMT\nTo: g@example.org\n\nWhich pathways can I choose from?";
        let german = "Siehe unten.\n\n-----Ursprüngliche Nachricht-----\nVon: Kwame Osei [mailto:kwame.osei@example.net]\nGesendet: Dienstag, 9. Dezember 2025 21:14\nAn: g@example.org\nBetreff: FPT question\n\nWhich pathways can I choose from?";
        for body in [outlook, gmail, apple, german] {
            let f = split_forward(body).unwrap_or_else(|| panic!("no forward in {body}"));
            assert_eq!(
                f.from_address.as_deref(),
                Some("kwame.osei@example.net"),
                "{body}"
            );
            assert_eq!(f.from_name.as_deref(), Some("Kwame Osei"), "{body}");
            assert_eq!(f.subject.as_deref(), Some("FPT question"), "{body}");
            assert_eq!(clean_message(&f.text).text, QUESTION, "{body}");
        }
        assert!(split_forward("How long is FPT?\nFrom: my phone").is_none());
    }

    #[test]
    fn an_abbreviation_in_brackets_ends_no_sentence() {
        let q = split_questions(
            "Is the FPT arrangement a sabbatical-type block (e.g. a few months off every year) or is it a weekly allotment? I've heard both from different people.",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(q[0].question.ends_with("weekly allotment?"), "{q:?}");
    }

    #[test]
    fn asking_after_the_reader_is_no_question_beside_a_real_one() {
        let asked = |text: &str| -> Vec<String> {
            split_questions(text)
                .into_iter()
                .map(|q| q.question)
                .collect()
        };
        assert_eq!(
            asked("Dan - you're on that portfolio thing aren't you? I'm a general surgery ST4, could I do it too or is it just for medics?"),
            vec!["I'm a general surgery ST4, could I do it too or is it just for medics?"]
        );
        assert_eq!(asked("Hi, how are you? Is there a handbook?").len(), 1);
        // alone it stays (the ignore rules read it as small talk)
        assert_eq!(asked("how are you?"), vec!["how are you?"]);
        // a tag asking to agree about the scheme is a question to check
        assert_eq!(
            asked("FPT is one day a week, isn't it? And who runs it?").len(),
            2
        );
    }

    #[test]
    fn a_bare_check_after_a_question_asks_that_question() {
        let q = split_questions(
            "someone on my rota said FPT was only ever a pilot and it's getting scrapped?? is that true",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(q[0].question.ends_with("scrapped??"), "{q:?}");
        // after a statement it is the question, the statement its context
        let q = split_questions("My ES said FPT is half a day. Is that true?");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].question, "Is that true?");
    }

    #[test]
    fn a_banner_of_the_senders_own_is_not_a_quote() {
        let body = "Hi,\n\nQuick one in the middle of a busy day:\n\n--- my question ---\nWhy did the original FPT pilot skip Thames Valley?\n------------------\n\nRegards,\nDr Lucy Hart";
        let cleaned = clean_message(body);
        assert!(!cleaned.quoted, "{cleaned:?}");
        assert!(
            cleaned
                .text
                .contains("Why did the original FPT pilot skip Thames Valley?"),
            "{cleaned:?}"
        );
        // a client's banner in another language still opens the quote
        let body = "Danke!\n\n-----Ursprüngliche Nachricht-----\nVon: FPT\n\nYou will spend a minimum of one year.";
        assert!(clean_message(body).quoted);
    }

    #[test]
    fn a_follow_up_of_ones_own_thread_passes_nothing_on() {
        let body = "Follow-up to the below: if I start on research and it isn't working out, can I switch to medical education partway through?\n\nNeha\n\nOn Tue, 24 Jan 2023 at 14:14, FPT Team <fpt@example.org> wrote:\n> Dear Dr,\n> Your non-clinical FPT day is focused on one of four pathways.";
        let own = clean_message(body).text;
        assert!(own.contains("can I switch"), "{own:?}");
        assert_eq!(forwarded_question(body, &own, "Re: Changing pathway"), None);
        let body = "Follow-up to the below: thanks!\n\n> On 3 Feb 2023, at 11:20, FPT Team wrote:\n> FPT protects one day a week.";
        let own = clean_message(body).text;
        assert_eq!(forwarded_question(body, &own, "Re: FPT"), None);
        // nor a short cover note with a question of the forwarder's own
        let body = "Would you mind replying to him directly? I'd also like to know myself whether FPT pushes CCT back.\n\n---------- Forwarded message ---------\nFrom: Dr Ian Moor\nDate: Mon, 6 Mar 2023\nSubject: question\n\nHow much protected time does FPT give?";
        let own = clean_message(body).text;
        assert_eq!(forwarded_question(body, &own, "Fwd: question"), None);
    }
}
