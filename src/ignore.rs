//! Ignore rules: messages that need no answer. Auto-replies and out-of-office notices
//! (RFC 3834 and the robot headers in use), bounces (RFC 3464), read and delivery receipts
//! (RFC 8098 and Exchange's plain-text "Read: …"), Outlook recall messages, calendar
//! invitations and responses (RFC 5545 `text/calendar`), bulk and list mail, service
//! notifications, mail from robots, null `Return-Path: <>` (RFC 5321 §4.5.5), organisations'
//! automatic acknowledgements of our mail, mail from our own address (the loop guard, with
//! the addresses from the caller), chat small talk (never a thanks followed by a
//! request), and chat said to a colleague by name or a notice to the whole channel that asks
//! nothing. Replying to any of these risks a mail loop or noise, so they are never answered.
//!
//! Languages: the automatic subjects the common clients (Outlook/Exchange, Gmail, Apple Mail,
//! Thunderbird) write in English, Welsh, German, French, Spanish, Italian, Dutch, Portuguese
//! and Polish. A subject is automatic only when the phrase opens it (after any "Re:"/"AW:")
//! and is followed by a colon, a dash or the end: "Out of office hours support?" is a person.
//!
//! Not a robot marker: `X-Auto-Response-Suppress` (Exchange puts it on people's mail to ask
//! others not to auto-reply).

use crate::text::SplitWords;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::patterns::Patterns;

use crate::enquiry::{Channel, Enquiry};
use crate::text::normalize::for_each_token;

/// Where an automatic subject's phrase starts: the subject's start once its reply and forward
/// prefixes are taken off ([`crate::text::subject::strip_prefixes`]).
const PREFIXES: &str = r"^\s*";

/// After the phrase: a colon, a dash, a bracket, the end, "until …" in any language, or the
/// subject it answers ("Out of Office Re: FPT pathways").
const PHRASE_END: &str = r"(?:\s*[:\-–—(\[]|\s*$|\s+(?:until|till|from|back|returning|bis|jusqu|hasta|fino|tot|até|do|tan)\b|\s+(?:re|aw|fw|fwd|wg|sv|tr)\s*:)";

fn subject_regex(phrases: &str) -> Regex {
    Regex::new(&format!("(?ix){PREFIXES}(?:{phrases}){PHRASE_END}"))
        .expect("subject regex is valid")
}

/// Phrases that clients put before a colon only ("Accepted: …", "Read: …"): a person's
/// "Accepted onto ST3 - …" or "Read this first" is not one.
fn colon_subject_regex(phrases: &str) -> Regex {
    Regex::new(&format!("(?ix){PREFIXES}(?:{phrases})\\s*:")).expect("subject regex is valid")
}

/// Auto-replies and out-of-office subjects.
static AUTO_REPLY_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    subject_regex(
        r"
        # English
        out\s+of\s+(?:the\s+)?office|automatic\s+reply|auto(?:matic|mated)?[\s-]?(?:reply|response)|autoreply|autoresponse
        # a help desk's acknowledgement: Your enquiry has been received, Ticket was created
      | (?:your\s+)?(?:enquiry|inquiry|request|message|e-?mail|query|ticket|case)\s+(?:has\s+been\s+|was\s+)(?:received|logged|created|opened)
      | we(?:['’]ve|\s+have)\s+received\s+your\s+(?:enquiry|inquiry|request|message|e-?mail|query)
      | on\s+(?:annual\s+)?leave|away\s+from\s+(?:my\s+)?(?:desk|office)|absence\s+notice|out\s+of\s+office\s+reply
        # Welsh
      | ateb\s+awtomatig|allan\s+o['’]r\s+swyddfa
        # German
      | automatische\s+antwort|abwesenheitsnotiz|abwesend|nicht\s+im\s+büro
        # French
      | r[eé]ponse\s+automatique|absence\s+du\s+bureau|absent(?:e)?\s+du\s+bureau|message\s+d['’]absence
        # Spanish
      | respuesta\s+autom[aá]tica|fuera\s+de\s+la\s+oficina|ausente\s+de\s+la\s+oficina
        # Italian
      | risposta\s+automatica|fuori\s+(?:sede|ufficio)|assente\s+dall['’]ufficio
        # Dutch
      | automatisch\s+antwoord|afwezig|niet\s+aanwezig|buiten\s+kantoor
        # Portuguese
      | resposta\s+autom[aá]tica|aus[eê]ncia\s+tempor[aá]ria|fora\s+do\s+escrit[oó]rio|ausente\s+do\s+escrit[oó]rio
        # Polish
      | automatyczna\s+odpowied[zź]|odpowied[zź]\s+automatyczna|poza\s+biurem
        ",
    )
});

/// A chat message that an auto-reply bot posted: it opens with a bracketed marker
/// ("[Automatic reply] I'm currently unavailable…", "(Out of office) back Monday"). A person's
/// "out of office today lol" has no brackets.
static CHAT_AUTO_REPLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[\[(]\s*(?:automatic\s+reply|auto[\s-]?reply|autoreply|auto(?:matic|mated)?[\s-]?response|out\s+of\s+(?:the\s+)?office|ooo)\s*[\])]")
        .expect("chat auto-reply regex is valid")
});

/// Bounce subjects (non-delivery reports), in the languages above.
static BOUNCE_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    subject_regex(
        r"
        undeliverable|undelivered\s+mail(?:\s+returned\s+to\s+sender)?|delivery\s+status\s+notification(?:\s+\(failure\))?
      | delivery\s+(?:has\s+)?failed|delivery\s+failure|mail\s+delivery\s+(?:failed|failure|subsystem)|returned\s+mail
      | failure\s+notice|message\s+not\s+delivered|delivery\s+delayed
      | unzustellbar|non\s+remis|no\s+se\s+puede\s+entregar|non\s+recapitabile|onbestelbaar
        ",
    )
});

/// Read and delivery receipts (Exchange sends them as plain text too).
static RECEIPT_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    colon_subject_regex(
        r"
        read|not\s+read|read\s+receipt|delivered|delivery\s+receipt|return\s+receipt
      | gelesen|ungelesen|nicht\s+gelesen|übermittelt|zugestellt
      | lu|non\s+lu|remis|accusé\s+de\s+(?:lecture|réception)
      | leído|no\s+leído|entregado
      | letto|non\s+letto|recapitato
      | gelezen|niet\s+gelezen|bezorgd
      | lida|lido|não\s+lida|entregue
      | przeczytan[ea]|nieprzeczytan[ea]|dostarczon[ea]
        ",
    )
});

/// The body of Exchange's plain-text receipts: "Your message … was read on …".
static RECEIPT_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^\s*your\s+message\b.{0,600}\bwas\s+(?:read|delivered\s+to|deleted\s+without\s+being\s+read)\b")
        .expect("receipt body regex is valid")
});

/// Calendar responses and invitations.
static CALENDAR_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    colon_subject_regex(
        r"
        accepted|declined|tentative|tentatively\s+accepted|new\s+time\s+proposed|cancel(?:l)?ed(?:\s+event)?
      | invitation|updated\s+invitation|meeting\s+forward\s+notification
      | angenommen|abgelehnt|mit\s+vorbehalt\s+angenommen|einladung|abgesagt
      | accepté|refusé|provisoire|annulé
      | aceptado|rechazado|invitación|cancelado
      | accettato|rifiutato|provvisorio|invito|annullato
      | geaccepteerd|geweigerd|voorlopig|uitnodiging|geannuleerd
      | aceite|aceito|recusado|provisório|convite
      | zaakceptowano|odrzucono|wstępnie\s+zaakceptowano|zaproszenie|anulowano
        ",
    )
});

/// Outlook's recall message ("Recall: <subject>") and its reports.
static RECALL_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*recall\s*:\s*(?P<subject>.*)$").expect("recall regex is valid")
});

static RECALL_REPORT_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:message\s+)?recall\s+(?:success|succeeded|failure|failed|report)")
        .expect("recall report regex is valid")
});

static RECALL_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)would\s+like\s+to\s+recall\s+the\s+message,?\s*[“"]?(?P<subject>[^”"\n]*)"#)
        .expect("recall body regex is valid")
});

/// Service notifications from mail systems (quota, quarantine, …).
static SERVICE_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:your\s+mailbox\s+is\s+(?:almost\s+)?full|mailbox\s+(?:size\s+limit|quota|almost\s+full)|(?:\d+\s+)?messages?\s+(?:quarantined|held|blocked)|quarantine\s+(?:notification|summary|report)|spam\s+(?:notification|report)|undelivered\s+messages?\s+report)")
        .expect("service subject regex is valid")
});

/// Whether `address` is a robot's: a mailer daemon, postmaster, list owner, no-reply or
/// notifications address ([`ROBOT_SENDER`]).
pub fn is_robot_address(address: &str) -> bool {
    ROBOT_SENDER.is_match(address)
}

static ROBOT_SENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|<|\s)(mailer-daemon|postmaster|owner-[^@]*|[^@\s<]*-request|no-?reply|do-?not-?reply|donotreply|bounces?(\+[^@]*)?|microsoftexchange[0-9a-f]*|quarantine|notifications?)@")
        .expect("robot sender regex is valid")
});

/// A Teams (or other online) meeting invitation or reminder pasted as text: the invitation's
/// join block with its meeting id or passcode, or a join link of Zoom ("zoom.us/j/…"), Teams
/// ("teams.microsoft.com/l/meetup-join/…"), Google Meet or Webex ("Your meeting starts in 10
/// minutes … Join: https://teams.microsoft.com/l/meetup-join/…").
static MEETING_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)(microsoft\s+teams\s+meeting|join\s+(?:the\s+meeting\s+now|microsoft\s+teams\s+meeting|zoom\s+meeting)).{0,400}(meeting\s+id|passcode|conference\s+id)|\b(?:[\w-]+\.)?zoom\.us/(?:j|w|my)/|\bteams\.microsoft\.com/l/meetup-join/|\bmeet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}\b|\.webex\.com/(?:meet/|join/|[\w.]+/j\.php)")
        .expect("meeting body regex is valid")
});

/// An order or ticket confirmation from an events or shop platform: "Your ticket for … Order
/// #123456".
static ORDER_CONFIRMATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)\byour\s+(?:e-?)?(?:tickets?|order|booking|registration)\b.{0,300}?\b(?:order|booking|confirmation)\s*(?:#|no\.?|number|ref(?:erence)?)\s*:?\s*#?[a-z0-9-]*\d{4,}")
        .expect("order confirmation regex is valid")
});

/// The footer of bulk mail sent to a list (newsletters, event marketing) that came without
/// list headers: the standard unsubscribe and "why you get this" lines (CAN-SPAM and the UK's
/// PECR require such an opt-out in marketing mail), or the opt-out link's word alone on its
/// line. A person asking to be taken off a list ("please unsubscribe me") writes none of these.
static BULK_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)(you(?:'re|\s+are)\s+receiving\s+this\b|\byou\s+(?:received|are\s+getting|get)\s+this\s+(?:e-?mail|message|newsletter|mailing)\s+because\b|(?:^|[.!]\s+)\s*to\s+unsubscribe\b|\breply\s+stop\b|to\s+stop\s+receiving\s+(?:these|this|our|further|future)\b|click\s+here\s+to\s+(?:unsubscribe|opt\s*-?\s*out)|\bunsubscribe\s*\||\|\s*unsubscribe\b|manage\s+(?:your\s+)?(?:e-?mail\s+|subscription\s+|mailing\s+)?preferences|view\s+(?:this\s+e-?mail|it)\s+in\s+(?:your|a)\s+browser|(?:^|[.!|]\s*)unsubscribe\s+from\s+(?:these\s+|this\s+)?(?:[\w-]+\s+){0,2}?(?:alerts?|digests?|e-?mails?|updates|notifications|newsletters?|bulletins?|mailings?|list)\b|^[ \t]*unsubscribe[ \t]*$)")
        .expect("bulk footer regex is valid")
});

/// A newsletter's or bulletin's table of contents: "In this issue:", "In this edition",
/// "In this month's bulletin".
static IN_THIS_ISSUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bin\s+this\s+(?:issue|edition|month['’]s\s+(?:issue|edition|bulletin|newsletter))\b",
    )
    .expect("in-this-issue regex is valid")
});

/// Signs of unsolicited marketing and of phishing (the calls to action and pressure that
/// spam filters' rule sets such as SpamAssassin's score): each phrase is one sign; it takes
/// two, in the subject and body together. A person writing about FPT uses none of them.
static SPAM_SIGNS: LazyLock<Patterns> = LazyLock::new(|| {
    let signs = [
        r"\breply\s+(?:with\s+)?[\x22'“]?(?:yes|interested)\b",
        r"\bclick(?:ing)?\s+(?:on\s+)?(?:the\s+|this\s+)?(?:link|button|here|below)\b",
        r"\bpassword\b.{0,40}\b(?:expires?|expired|expiring|expiry)\b",
        r"\b(?:enter|entering|provide|providing|type|typing)\s+your\s+(?:current\s+|existing\s+|old\s+)?password\b",
        r"\b(?:verify|validate|confirm|reactivate|restore)\s+your\s+(?:account|mailbox|e-?mail\s+account|identity|password|login|credentials)\b",
        r"\bfree(?:\s*,?\s+[\w-]+){0,2}?\s+(?:audit|trial|quote|consultation|demo|gift|report|analysis|review)\b|\bno[-\s]obligation\b",
        // a mailing's footer: "to stop receiving these emails click here"
        r"\b(?:stop\s+receiving|unsubscribe\s+from|opt\s+out\s+of)\s+(?:these|our|this|future)\b",
        r"\bguarantee[sd]?\b.{0,40}\b(?:results|rankings?|leads|traffic|returns|roi)\b|\b(?:returns|profits?|results|income)\s+guaranteed\b",
        // crypto pitches and their Telegram groups: "crypto signals", "join t.me/…"
        r"\bcrypto(?:currency)?\s+(?:signals|trading|profits?|investment)\b|\bt\.me/",
        r"\b(?:mailbox|storage|quota)\b.{0,30}\b(?:full|exceeded|limit|suspend\w*|deactivat\w*)\b|\bexceeded\s+(?:its|your|the)\s+(?:storage|quota|limit)\b",
        r"\b(?:avoid|prevent)\s+(?:losing|suspension|deactivation|closure|interruption)\b",
        r"\b(?:seo|search\s+engine\s+optimi[sz]ation|backlinks?|page\s+(?:1|one)\s+of\s+google|first[-\s]page\s+(?:of\s+google\s+)?(?:results|rankings?))\b",
        // a stranger's remark on our website's ranking or traffic: "noticed it is not ranking
        // on the first page of Google", "your site's traffic could be higher"
        r"\b(?:your|the)\s+(?:web\s*site|site|web\s+page)\b.{0,60}\b(?:not\s+ranking|isn[\x27’]?t\s+ranking|rank(?:s|ing)?\s+(?:higher|better|low|poorly)|first\s+page\s+(?:of|on)\s+google|(?:low|more|higher)\s+(?:traffic|visibility))\b",
        r"\b(?:limited[-\s]time|special|exclusive)\s+offer\b|\bact\s+now\b",
        // prize draws: "You've won!", "claim your £500 voucher", "offer expires in 48 hours"
        r"\byou(?:[\x27’]ve|\s+have)\s+(?:won|been\s+(?:selected|chosen)\s+(?:to\s+receive|as\s+(?:a|the|our)\s+winner|for\s+a\s+(?:prize|reward)))\b|\bclaim\s+your\s+(?:free\s+)?(?:[£$€]\s?\d[\d,]*\s+)?(?:[\w-]+\s+)?(?:prize|reward|voucher|gift\s+card|winnings)\b",
        r"\b(?:offer|voucher|reward|prize)\s+(?:expires|ends)\s+(?:in|on|today|tonight|at\s+midnight)\b",
        // prize draws that name no prize word first: "your email was selected in our monthly
        // draw", and the bank details they then ask for
        r"\b(?:selected|chosen|drawn)\s+(?:in|from|for)\s+(?:our|the|a)\s+(?:\w+\s+)?(?:prize\s+)?(?:draw|lottery|sweepstakes?|giveaway)\b",
        r"\b(?:confirm|confirming|verify|verifying|update|updating|provide|providing|enter|entering)\s+your\s+(?:bank|banking|card|payment|billing)\s+(?:details|information|info)\b",
        // invoice phishing: "your invoice #INV-2093 is now overdue … pay using the secure link"
        r"\b(?:overdue|outstanding|unpaid)\s+invoice\b|\binvoice\s+(?:#|no\.?\s*|number\s+)?[\w-]*\d[\w-]*\s+(?:is|was|has\s+been)\s+(?:now\s+)?(?:overdue|outstanding|unpaid)\b",
        // payment pressed for and an invoice attached (business-email-compromise fraud):
        // "can you process payment today?", "please find attached the invoice"
        r"\b(?:process|make|complete|arrange|settle|release)\s+(?:the\s+|this\s+)?payment\s+(?:today|immediately|urgently|asap|now|by\s+end\s+of\s+(?:day|today))\b|\burgent\s+(?:payment|wire|transfer)\b",
        r"\b(?:attached|enclosed)\s+(?:is\s+)?(?:the\s+|an?\s+|your\s+|our\s+)?(?:\w+\s+)?invoice\b|\binvoice\s+(?:is\s+)?(?:attached|enclosed)\b",
        r"\b(?:pay|payment|review\s+and\s+pay)\b.{0,30}\b(?:secure|encrypted)\s+(?:link|portal|page)\b|\bwithin\s+(?:24|48|72)\s+hours\s+to\s+avoid\b",
        // social-media growth sellers: "10k Instagram followers for £5", "DM now"
        r"\b(?:buy|cheap|get|gain|grow)\b.{0,20}\b(?:instagram|insta|tiktok|twitter|youtube|facebook|linkedin|x)\s+(?:followers|likes|views|subscribers|connections)\b|\b\d+\s*k\s+(?:real\s+)?(?:followers|likes|views|subscribers)\b",
        r"\bdm\s+(?:me\s+|us\s+)?(?:now|today|for\s+(?:prices|details|more))\b|\bwww\.[\w-]+\.(?:shop|xyz|top|click|buzz|biz)\b|\b[\w-]+\s+dot\s+(?:shop|xyz|top|click|com|biz)\b",
        // prices shouted: "ONLY £9.99!!!", "10k for £5!!!"
        r"[£$€]\s?\d[\d,]*(?:\.\d\d)?\s*!{2,}|\bonly\s+[£$€]\s?\d[\d,]*(?:\.\d\d)?\s*!",
        // event and sale marketing: "early bird ends Friday", "book now and save 30%", "30% off"
        r"\bearly[-\s]?bird\s+(?:ends|closes|offer|discount|rate|price|pricing|tickets?|registration|booking)\b",
        r"\bbook\s+(?:now|today)\s+(?:and|to)\s+save\b|\bsave\s+\d{1,2}\s?%\s+(?:with|on|off|when|if)\b",
        r"\b\d{1,2}\s?%\s+off\b|\b(?:last\s+chance|final\s+call)\s*(?::|to\s+(?:book|save|register|buy))",
        // sale pressure and its pitch: "this week only!", "Boost your CV with our …"
        r"\b(?:this\s+(?:week|weekend|month)|today|tonight|for\s+(?:a\s+)?limited\s+(?:time|period))\s+only\b",
        r"\bboost\s+your\s+(?:cv|career|portfolio|profile|income|earnings|ranking)\b",
        // a mailing's footer link, alone on its line
        r"(?:^|\n)[ \t]*unsubscribe[ \t]*(?:\n|$)",
        // get-rich pitches: "turn £250 into £5,000", "earning £5,000/week" (not the words of
        // what is sold, "AI trading platform": a person reporting a scam names them)
        r"\bturn\s+[£$€]\s?\d[\d,]*k?\s+into\s+[£$€]|\b(?:earn|earning|earns|make|making|makes)\s+(?:up\s+to\s+)?[£$€]\s?\d[\d,]*k?\s*(?:/|a\s+|an\s+|per\s+|every\s+|each\s+)\s*(?:week|day|month|hour|wk)\b",
        // work-from-home pitches: "earn £500/day from home", "make money from home"
        r"\b(?:earn|earning|make|making)\b.{0,40}\bfrom\s+(?:the\s+comfort\s+of\s+)?(?:your\s+)?home\b|\bwork\s+from\s+home\s+(?:and|to)\s+(?:earn|make)\b",
        // predatory journals and conferences: "Dear Esteemed Doctor", "submit a manuscript for
        // our upcoming issue", "publication fee", "guaranteed acceptance"
        r"\bdear\s+(?:esteemed|eminent|distinguished)\b",
        r"\b(?:invite|inviting|invitation)\b.{0,30}\b(?:submit|contribute)\b.{0,40}\b(?:manuscripts?|articles?|papers?|abstracts?)\b|\bcall\s+for\s+(?:papers|abstracts|manuscripts)\b",
        // a conference's call to the mailing list: "Abstract submission is now open", "we look
        // forward to receiving your submissions", "registration is now open"
        r"\b(?:abstract|paper|poster)s?\s+submissions?\s+(?:is|are)\s+(?:now\s+)?open\b|\bsubmissions?\s+(?:is|are)\s+now\s+open\b|\bregistration\s+is\s+now\s+open\b",
        r"\bwe\s+look\s+forward\s+to\s+(?:receiving|reading|seeing)\s+your\s+(?:submissions?|abstracts?|papers?|entries|registrations?)\b",
        r"\b(?:guaranteed|assured)\s+(?:acceptance|publication)\b|\bfast[-\s]?track\s+(?:peer[-\s]?)?review\b|\b(?:publication|processing)\s+(?:fee|charge)\s+of\s+(?:only|just)\b",
        r"\bexclusive\s+opportunity\b|\blimited\s+(?:places|spaces|spots|slots)\b.{0,40}\b(?:register|sign\s+up|join|book)\s+(?:now|today)\b",
        // account-takeover lures: "your account will be suspended", "unusual sign-in
        // activity", a deadline in hours before a link
        r"\b(?:account|mailbox|access|e-?mail)\b.{0,40}\b(?:will\s+be|has\s+been|is\s+being)\s+(?:suspended|deactivated|disabled|locked|terminated|closed|deleted)\b|\bunusual\s+(?:sign[-\s]?in\s+|log[-\s]?in\s+)?activity\b",
        r"\bwithin\s+(?:12|24|48|72)\s+hours\b.{0,60}\b(?:link|below|click)\b",
        // prize and refund lures: "randomly selected to receive", "you are owed a refund",
        // "unclaimed payment", "entered into a prize draw"
        r"\bselected\s+to\s+receive\b|\bcongratulations\b.{0,80}\b(?:selected|won|winner|prize|reward)\b|\b(?:entered|entry)\s+into\s+a\s+(?:prize\s+)?draw\b",
        r"\b(?:owed|due)\s+a\s+refund\b|\bunclaimed\s+(?:payment|refund|funds|prize|reward)\b",
        // money-growth pitches: "grow your savings by 300%"
        r"\b(?:grow|double|triple|multiply)\s+your\s+(?:savings|money|investment|income|capital)\b",
        // a pitch's reassurances and its rhetorical question: "no lock-in", "no hidden fees",
        // "How much could you save?"
        r"\bno\s+(?:lock[-\s]?in|hidden\s+(?:fees|charges|costs)|strings\s+attached|upfront\s+(?:fees|costs|payment))\b|\bhow\s+much\s+could\s+you\s+(?:save|earn|make)\b",
        r"\b(?:bitcoin|btc|forex)\s+(?:program|programme|scheme|plan|investment|opportunity|trading)\b",
        r"\b(?:secure|protect|unlock|recover)\s+your\s+account\s+(?:immediately|now|today|urgently)\b",
        // chief-executive fraud: "Are you at your desk? … I'm in meetings all day"
        r"\bare\s+you\s+(?:at\s+your\s+desk|available\s+right\s+now)\b",
        r"\bin\s+(?:back[-\s]to[-\s]back\s+)?meetings?\s+all\s+day\b",
        // supplier-account fraud: "our bank details have changed", "remittance advice"
        r"\b(?:bank|banking)\s+details\s+(?:have|has)\s+(?:now\s+)?(?:changed|been\s+(?:changed|updated))\b|\bchange\s+of\s+bank\s+details\b",
        r"\bremittance\s+advice\b",
        // recruiters' and agencies' pitch: a rate of pay on offer
        r"\b(?:top|competitive|excellent|enhanced|premium)\s+(?:rates|pay\s+rates|hourly\s+rates)\b|£\s?\d+(?:\.\d\d)?\s*(?:/|an\s+|per\s+)\s*(?:hr|hour|shift)\b",
    ];
    signs_patterns(&signs)
});

/// Case-insensitive patterns ("." matching newlines too) of a list of signs, matched in one
/// pass ([`Patterns`]).
fn signs_patterns(signs: &[&str]) -> Patterns {
    Patterns::new(
        signs
            .iter()
            .map(|p| format!("(?is){p}"))
            .collect::<Vec<_>>(),
    )
    .expect("sign regexes are valid")
}

/// How many of `signs` the subject and body say together, counting up to `enough` (one
/// more changes nothing).
fn signs_in(signs: &Patterns, subject: &str, body: &str, enough: usize) -> usize {
    // (most mail says none: a search that stops at the first sign says so for less)
    if !signs.any(subject) && !signs.any(body) {
        return 0;
    }
    let (in_subject, in_body) = (signs.matching(subject), signs.matching(body));
    (0..signs.len())
        .filter(|&i| in_subject.matched(i) || in_body.matched(i))
        .take(enough)
        .count()
}

/// Signs of a company selling its product to the team (business-to-business sales mail): a
/// product that "helps" or is "used by 40+ NHS trusts", a call or demo to book, a brochure
/// or rate card, a free licence or trial, a discount offered to "your" trainees, a sales or
/// partnerships title. It takes two
/// ([`vendor_pitch_reason`]): a person asking about FPT uses none of them.
static VENDOR_SIGNS: LazyLock<Patterns> = LazyLock::new(|| {
    let signs = [
        r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}?(?:platform|product|solution|software|tool|app)s?,?(?:\s+[\w-]+(?:\s+[\w-]+)?,)?\s+(?:already\s+)?(?:helps?|lets?|allows?|enables?|makes?|automatically|integrates?|is\s+(?:already\s+)?(?:used|trusted))\b",
        r"\b(?:(?:used|trusted|relied\s+on)\s+by\s+(?:over\s+|more\s+than\s+)?|(?:to|for)\s+(?:over|more\s+than)\s+)(?:\d[\d,]*\+?|several|many|dozens\s+of|hundreds\s+of|thousands\s+of)\s+(?:\w+\s+){0,2}?(?:trusts|organisations|organizations|hospitals|clients|customers|deaneries|teams|clinicians|doctors|trainees)\b",
        r"\b(?:book|schedule|arrange|set\s+up|grab)\s+(?:in\s+)?(?:a\s+|an\s+)?(?:quick\s+|short\s+|brief\s+|free\s+)?(?:(?:\d+|ten|fifteen|twenty|thirty)[-\s]?(?:minutes?|mins?)|demo|(?:intro(?:duction|ductory)?\s+)?call)\b|\bshow\s+you\s+(?:how\s+it\s+works|a\s+(?:quick\s+)?demo)\b|\b(?:a|an)\s+(?:quick\s+|short\s+|brief\s+|free\s+)?(?:\d+|ten|fifteen|twenty|thirty)[-\s]?(?:minute|min)\s+(?:demo|call|chat|meeting|conversation|intro)\b",
        r"\b(?:our|a|the)\s+(?:brochure|rate\s+card|price\s+list|pricing\s+(?:sheet|details))\b",
        r"\b(?:competitive|excellent|great|discounted)\s+(?:rates|prices|pricing)\b",
        r"\b(?:we\s+)?(?:supply|supplies|provide|provides)\s+(?:experienced\s+|qualified\s+|skilled\s+)?(?:locums?|locum\s+doctors|doctors|registrars|clinicians|staff)\s+(?:at\s+short\s+notice|on\s+demand|24/7)\b",
        r"\bfree\s+(?:\d+[-\s]?(?:month|year|week)s?\s+)?(?:licen[cs]es?|trials?|subscriptions?|seats)\b",
        r"\b(?:partnerships?|business\s+development|sales|account|growth|customer\s+success)\s+(?:lead|manager|director|executive|representative)\b",
        r"\b(?:ed-?tech|health-?tech|saas)\b",
        r"\b(?:offer|give|extend)\s+(?:an?\s+)?(?:exclusive\s+|special\s+)?(?:discount|rate|deal)\s+(?:to|for)\s+(?:your|all\s+your)\b",
        r"\bwe\s+help\s+(?:trainees|doctors|clinicians|trusts|nhs\s+trusts|teams|organisations|organizations|hospitals|educators|supervisors)\b",
    ];
    signs_patterns(&signs)
});

/// A company's sales mail to the team: two or more of [`VENDOR_SIGNS`] in the subject and
/// body together ("I'm the partnerships lead at LearnQI … Our platform helps trainees …
/// We'd love to offer FPT trainees a free 12-month licence. Who should I speak to?"). Its
/// question is not one the FAQ answers for a person, and "email the FPT mailbox" is no reply
/// to it.
fn vendor_pitch_reason(subject: &str, body: &str) -> Option<String> {
    (signs_in(&VENDOR_SIGNS, subject, body, 2) >= 2)
        .then(|| "a company's sales pitch (two or more of a vendor's phrases)".into())
}

/// Phrases of an out-of-office notice, in the languages above.
static OUT_OF_OFFICE_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:i\s+am|i'm|i’m|i\s+will\s+be)\s+(?:currently\s+)?(?:out\s+of\s+(?:the\s+)?office|away|on\s+(?:annual\s+|study\s+|parental\s+|maternity\s+|paternity\s+)?leave|not\s+in\s+the\s+office|off\s+work)
      | \b(?:limited|no|patchy|intermittent|little|sporadic|restricted)\s+access\s+to\s+(?:my\s+)?e-?mails?
      | \b(?:i\s+am|i'm|i’m)\s+(?:currently\s+)?(?:at\s+a\s+(?:conference|meeting|course)|travelling|abroad)\s+(?:until|till|from|between)\b
      | \b(?:won['’]?t|will\s+not)\s+be\s+(?:checking|reading|monitoring|answering|responding\s+to)\s+(?:my\s+)?e-?mails?\b
      | \b(?:not|n['’]t)\s+(?:be\s+)?(?:checking|reading|monitoring)\s+(?:my\s+)?e-?mails?\b
      | \b(?:i\s+will|i['’]ll|i\s+shall)\s+(?:reply|respond|get\s+back\s+to\s+you)\b[^.?!]{0,40}?(?:\bon\s+my\s+return|\bupon\s+my\s+return|\bwhen\s+i\s*(?:['’]m|\s+am|\s+get)\s+back)\b
      | \brwyf\s+(?:i\s+)?ffwrdd|\ballan\s+o['’]r\s+swyddfa
      | \bnicht\s+im\s+büro\b|\bbin\s+(?:ich\s+)?(?:bis|vom)\b.{0,60}\b(?:abwesend|nicht\s+erreichbar|im\s+urlaub)|\bkeinen\s+zugriff\s+auf\s+(?:meine\s+)?e-?mails
      | \bje\s+suis\s+(?:actuellement\s+)?absente?\b|\babsente?\s+du\s+bureau
      | \bestoy\s+(?:fuera\s+de\s+la\s+oficina|ausente|de\s+vacaciones)
      | \bsono\s+(?:fuori\s+(?:sede|ufficio)|assente|in\s+ferie)
      | \bik\s+ben\s+(?:afwezig|niet\s+aanwezig|met\s+vakantie)
      | \bestou\s+(?:fora\s+do\s+escrit[oó]rio|ausente|de\s+f[eé]rias)
      | \bjestem\s+(?:poza\s+biurem|nieobecn[ya]|na\s+urlopie)
        ",
    )
    .expect("out of office body regex is valid")
});

/// A person asking whether mail they got is genuine ("I got an email claiming to be from the
/// FPT team … Is this genuine?"): its spam's words are quoted, not sent.
static CHECKS_LEGITIMACY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:is\s+(?:this|it|that)\s+(?:genuine|legit(?:imate)?|real|safe|a\s+scam|phishing|spam|from\s+you)|(?:claiming|claims|pretending)\s+to\s+be\s+from|predatory|i\s+have\s*n[o’']?t\s+clicked|did\s+you\s+send)\b")
        .expect("legitimacy regex is valid")
});

/// The sender letting us know something: "just wanted to let you know", "I wanted you to
/// know". Part of [`ASKS`] (news may need a person), unless the sender says no reply is needed.
static LETTING_KNOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b{LETTING_KNOW_WORDS}\b")).expect("letting-know regex is valid")
});

/// The words of [`LETTING_KNOW`], also one of [`ASKS`]'s alternatives.
const LETTING_KNOW_WORDS: &str = r"wanted\s+(?:you\s+to|to\s+let\s+you)\s+know";

/// News of something missing or gone wrong, which a person must read however the sender
/// says no reply is needed: "my supervisor has left and I now have nobody to sign off my FPT
/// work", "I still haven't been given my day", "it isn't working".
static BAD_NEWS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:nobody|no\s*one|(?:has|have|had|'s|’s)\s+(?:left|gone|resigned|retired|moved\s+on)|no\s+longer|without|(?:is|are|was|were|has|have|had|did|does|do|can|could|wo)n['’]?t|cannot|not\s+(?:been|yet|able|sure|happy|working|allowed))\b")
        .expect("bad news regex is valid")
});

/// What asks something of us, even without a question mark.
static ASKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(please\s+(?:can|could|would|tell|let|advise|send|remove|take|note|update|confirm|use)|would\s+like\s+to|i['’]d\s+like|i\s+(?:need|want)\b|{LETTING_KNOW_WORDS}|i(?:['’]ve|\s+have)\s+accepted|i\s+(?:do\s+)?still\s+want|i['’]d\s+welcome|can\s+you|could\s+you|would\s+you|wondering|is\s+it\s+possible|whether|wanted\s+to\s+(?:check|ask|know|find\s+out)|query|question|enquir\w*|how\s+(?:do|does|can|long|many|much)|what\s+(?:is|are|do|does|happens)|(?:whats|what['’]s|wats|wots)\s+(?:the|a|an|my|your|fpt)|can\s+i|could\s+i|do\s+i|should\s+i)\b"))
        .expect("asks regex is valid")
});

/// Our reference in a subject ("Re: FPT [FPT-12]"): the message answers mail of ours.
static OUR_REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[FPT-\d{1,18}\]").expect("reference regex is valid"));

/// What an organisation's automatic acknowledgement says (sent without any automatic header
/// by some trusts' mailboxes): each phrase is one sign; it takes two.
static AUTO_ACK_SIGNS: LazyLock<Patterns> = LazyLock::new(|| {
    let signs = [
        r"\bthank(?:s|\s+you)\s+for\s+(?:contacting|getting\s+in\s+touch\s+with|your\s+(?:e-?mail|message|enquiry|inquiry|query|correspondence))",
        r"\b(?:mail)?box\s+is\s+(?:not|un)[\s-]?monitored|\bnot\s+(?:being\s+)?monitored\b",
        r"\b(?:aim|endeavou?r|try|strive|will\s+try)\s+to\s+(?:respond|reply|answer|get\s+back\s+to\s+you)\s+(?:to\s+\w+\s+)?within\s+\w+\s+(?:working\s+|business\s+)?(?:days?|hours?)",
        r"\bthis\s+is\s+an\s+automat(?:ed|ic)\s+(?:response|reply|message|acknowledge?ment)|\bautomatically\s+generated\b",
        r"\bwe\s+have\s+received\s+your\s+(?:e-?mail|message|enquiry|query|request|submission)|\byour\s+(?:e-?mail|message|enquiry|query|request|submission)\s+has\s+been\s+received",
        r"\bplease\s+do\s+not\s+reply\s+to\s+this\s+(?:e-?mail|message)",
        // a ticketing system's: "logged with ticket number INC0098231", "a ticket (#552310)
        // has been created", "Reference: #48213" under a ticket subject, "reply above this line"
        r"\b(?:logged|raised|created|opened|registered)\s+(?:with|as|under)\s+(?:ticket|case|incident|reference|request)\b|\b(?:ticket|case|incident)\s+(?:number|no\.?|#|id)\b|\ba\s+(?:ticket|case)\s+\(?#?\w*\)?\s*has\s+been\s+(?:created|raised|opened|logged)|\breply\s+above\s+this\s+line\b",
        // "A member of the team will respond within 5 working days", "is being reviewed by
        // our support staff"
        r"\ba\s+member\s+of\s+(?:our|the)\s+(?:[\w-]+\s+){0,2}?team\s+will\s+(?:respond|reply|be\s+in\s+touch|contact\s+you|get\s+back)|\bbeing\s+(?:reviewed|handled|processed)\s+by\s+(?:our|the|a)\s+(?:[\w-]+\s+){0,2}?(?:staff|team|agents?|advisers?|advisors?)\b",
    ];
    Patterns::new(signs.iter().map(|p| format!("(?i){p}")))
        .expect("auto-acknowledgement regexes are valid")
});

/// Words, one of which (in any case) every phrase of [`AUTO_ACK_SIGNS`] holds: each pattern's
/// every alternative spells out at least one of them ("thank" in the first, "monitored" in
/// both of the second's, "within", "automat" in both of the fourth's, "received" in both of
/// the fifth's, "reply", then "ticket", "case", "incident", "reference", "request" or "reply"
/// in the seventh's, "member" or "being" in the eighth's). A sign added there needs one of
/// its words here (a test checks each sign's own examples).
const AUTO_ACK_WORDS: &[&str] = &[
    "thank",
    "monitored",
    "within",
    "automat",
    "received",
    "reply",
    "ticket",
    "case",
    "incident",
    "reference",
    "request",
    "member",
    "being",
];

/// [`AUTO_ACK_WORDS`] found in one scan, ASCII letters in any case.
static AUTO_ACK_WORD_FINDER: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(AUTO_ACK_WORDS)
        .expect("the acknowledgement words build an automaton")
});

/// For a reply to our mail (the subject carries our `[FPT-n]`), an organisation's automatic
/// acknowledgement sent without automatic headers ("Thank you for contacting … This mailbox is
/// not monitored … We aim to respond within 5 working days"): two of its phrases in the
/// sender's own words (quotes of our mail removed) in a reply to us; three of them in any
/// message ("Thank you for your enquiry to the … team. We aim to respond within 5 working
/// days. … This is an automated message.": another help desk acknowledging mail of ours
/// whose reference it dropped). A person's first message may say one or two ("thank you for
/// your email" in a reply to a lead), never all three.
pub fn is_auto_acknowledgement(enquiry: &Enquiry, cleaned_text: &str) -> bool {
    let replies_to_us = enquiry
        .subject
        .as_deref()
        .is_some_and(|s| OUR_REFERENCE.is_match(s));
    let signs = auto_ack_signs(cleaned_text, 3);
    signs >= 3 || (replies_to_us && signs >= 2)
}

/// Whether text says two of an automatic acknowledgement's phrases (see
/// [`is_auto_acknowledgement`]; the caller knows the message replies to ours).
pub fn says_auto_acknowledgement(cleaned_text: &str) -> bool {
    auto_ack_signs(cleaned_text, 2) >= 2
}

/// How many of [`AUTO_ACK_SIGNS`] `text` says, counting up to `enough`.
fn auto_ack_signs(text: &str, enough: usize) -> usize {
    // ASCII text without any of the words every sign spells out says none: on ASCII text
    // the signs' `(?i)` matches a letter only in its two ASCII cases, so a sign found there
    // holds one of the words in some case (beyond ASCII it may match more, e.g. the Kelvin
    // sign for "k", so such text is asked as before). One scan for a few literals costs a
    // fraction of the set's search, which most messages, saying none, pay in full.
    if text.is_ascii() && !AUTO_ACK_WORD_FINDER.is_match(text) {
        return 0;
    }
    // (most text says none: see `signs_in`)
    if !AUTO_ACK_SIGNS.any(text) {
        return 0;
    }
    // one pass over ASCII text for all of them (see `Patterns`)
    let signs = AUTO_ACK_SIGNS.matching(text);
    (0..AUTO_ACK_SIGNS.len())
        .filter(|&k| signs.matched(k))
        .take(enough)
        .count()
}

/// Words of chat small talk: a message made only of these asks nothing.
#[rustfmt::skip]
const SMALL_TALK: &[&str] = &[
    "thanks", "thank", "thankyou", "thx", "ty", "tyvm", "cheers", "ta", "great", "brilliant",
    "perfect", "awesome", "nice", "cool", "ok", "okay", "k", "kk", "lol", "haha", "hello", "hi",
    "hey", "hiya", "morning", "afternoon", "evening", "good", "all", "everyone", "folks", "team",
    "you", "so", "much", "very", "a", "lot", "that", "thats", "is", "helpful", "useful",
    "appreciated", "appreciate", "it", "got", "noted", "sure", "yes", "yep", "no", "nope", "bye",
    "see", "ya", "later", "will", "do", "sounds", "fab", "lovely", "ace", "super", "many", "again",
    "the", "guys", "night", "gm", "np", "welcome", "yeah", "wow", "and", "for", "help", "your",
    "oh", "right", "alright", "fine", "done", "cheers", "mate", "really", "have", "weekend", "day",
    // "oh and also thanks for earlier"
    "also",
    "amazing", "legend", "star", "ill", "makes", "sense", "understood", "gotcha", "excellent",
    "fantastic", "was", "know", "say", "earlier",
    // "haha fair enough, cheers for the help earlier", "omg cheers 🙏"
    "fair", "enough", "omg",
    // thanks in the languages of colleagues' mail clients and sign-offs: "Merci beaucoup",
    // "Vielen Dank", "Muchas gracias", "Grazie mille", "Diolch yn fawr", "Dank je wel"
    "merci", "beaucoup", "danke", "vielen", "dank", "schön", "gracias", "muchas", "grazie",
    "mille", "obrigado", "obrigada", "muito", "bedankt", "dankjewel", "je", "wel", "tack",
    "takk", "diolch", "yn", "fawr",
    // closing a conversation: "perfect, that's sorted it", "that answers my question, ta"
    "sorted", "worked", "works", "fixed", "solved", "clears", "up", "this", "me", "exactly",
    "needed", "just", "i", "brill", "tysm", "worries", "problem", "found", "now", "ah", "grand",
    "sweet", "spot", "on", "answers", "answered", "question", "my", "clear",
    // "thank you so much - it's answered everything I needed"
    "its",
    // thanking for the reply: "nice one", "thanks for getting back to me so quickly"
    "one", "getting", "back", "to", "quickly", "quick", "reply", "response", "replying",
    "prompt", "speedy", "info", "information", "message", "email",
    // "that's exactly what I needed", "ok nvm"
    "what", "wanted", "nvm", "nevermind", "never", "mind",
    // "great ta x", "that answers everything I needed", "thanks for getting back so fast"
    "x", "xx", "xxx", "everything", "fast",
    // "perfect, got them all now", "received those, thanks"
    "them", "those", "received",
    // "cheers that helps loads", "ok thats sorted then"
    "then", "helps", "helped", "loads", "heaps", "tons",
    // "ta v much", "brill thats all i needed, have a good wkend"
    "v", "wkend", "wknd",
    // relief and good wishes: "that's a huge relief, have a lovely weekend", "glad to hear it"
    "huge", "relief", "relieved", "reassuring", "reassured", "glad", "pleased", "hear",
    "enjoy", "kind", "massive", "massively", "hugely", "truly", "such", "best", "wishes",
    "regards", "warm", "warmest", "kindest",
    // a test post: "testing testing 123", "test"
    "test", "testing", "123",
    // greetings and good wishes: "hi there, hope ur having a good friday :)", "hope you're
    // all well", "happy monday everyone"
    "there", "hope", "hoping", "ur", "youre", "you're", "having", "well", "doing", "happy",
    "week", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    // "morning all ☀️ hope everyone had a decent weekend"
    "had", "decent",
    // moving on from what was said: "lol fair enough. anyway thanks for the help"
    "anyway", "anyways", "anyhow",
    // away for a moment: "brb ward round", "gtg clinic", "afk"
    "brb", "gtg", "g2g", "afk", "bbl", "bbs", "off", "ward", "round", "clinic",
];

/// Whether `word` is a word of small talk ([`SMALL_TALK`]) or a regular inflection of one:
/// "cleared" of "clear", "sorts" of "sort", "thanking" of "thank" (the English regular
/// endings -s, -ed, -d and -ing taken off).
fn is_small_talk_word(word: &str) -> bool {
    SMALL_TALK.contains(&word)
        || ["ing", "ed", "d", "s"].iter().any(|end| {
            word.strip_suffix(end)
                .is_some_and(|stem| stem.len() >= 3 && SMALL_TALK.contains(&stem))
        })
}

/// A chat message that takes back what it asked: "nvm found it on the website", "never mind,
/// sorted now", "ignore that, found it". Read as small talk when it asks nothing new (no
/// question mark, no question word) and is short ([`MAX_SMALL_TALK_WORDS`]).
static WITHDRAWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[-–—,.;:!]\s)\W*(?:ok(?:ay)?\W+|oh\W+|ah\W+)?(?:nvm|nevermind|never\s+mind|ignore\s+(?:that|me|my\s+(?:last|previous|earlier)\s+(?:message|msg|e-?mail|mail|question|q))|found\s+(?:it|them|the\s+\w+|what\s+i\s+(?:needed|was\s+looking\s+for))|(?:all\s+)?sorted|figured\s+it\s+out)\b")
        .expect("withdrawn regex is valid")
});

/// Something that now works or is found: "all sorted", "got it now", "the link worked",
/// "found it", "managed to download it".
static RESOLVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:all|it[’']?s|that[’']?s|everything[’']?s|now)\s+(?:all\s+)?sorted|sorted\s+now|got\s+it\s+(?:now|working|in\s+the\s+end)|(?:it|that|the\s+\w+)\s+(?:worked|works|opened|loaded)|works\s+now|found\s+(?:it|them)|all\s+good\s+now|managed\s+to\s+(?:open|download|find|get|access))\b")
        .expect("resolved regex is valid")
});

/// A greeting from a place and nothing else: "hello from sunny brighton 👋", "hi all from the
/// Freeman!", "morning from Leeds". (Questions are ruled out before it is read.)
static GREETING_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:hi+|hello+|hey+|hiya|greetings|(?:good\s+)?(?:morning|afternoon|evening)|howdy)(?:\s+(?:all|everyone|everybody|folks|team|guys|y['’]?all))?\s+from\s+(?:[\w'’&.]+(?:-[\w'’&.]+)*\s*){1,5}[\W_]*$")
        .expect("greeting-from regex is valid")
});

/// A goodbye that closes an acknowledgement as thanks would: "you've confirmed what I
/// thought. bye!", "that answers my question, see ya".
static FAREWELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:bye|goodbye|bye\s+for\s+now|see\s+(?:ya|you)|ttyl|laters)\b\W*$")
        .expect("farewell regex is valid")
});

/// A word of thanks.
static THANKS_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:thanks|thank\s+you|thankyou|thx|ty|cheers|ta|appreciated?)\b")
        .expect("thanks word regex is valid")
});

/// A chat message sent to the wrong place and taken back ("oops that msg was meant for my
/// flatmate, pls disregard", "sorry wrong chat"): it asks nothing of us.
static MISDIRECTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:pls|please|plz)\s+)?(?:disregard|ignore)(?:\s+(?:this|that|it|me|my\s+(?:last|previous)\s+(?:message|msg|q|question)))?\W*$|\bwrong\s+(?:chat|channel|chan|thread|group|server|person|window|tab)\b|\bmeant\s+(?:for|to\s+(?:send|go\s+to))\s+(?:someone|somebody|my|another|a\s+different)\b")
        .expect("misdirected regex is valid")
});

/// Words of a withdrawn question besides small talk: where the asker found it, what they
/// found, and the withdrawal itself ("nvm found it on the website", "found the handbook in
/// the end - ignore my last email!").
const WITHDRAWN_WORDS: &[&str] = &[
    "email",
    "e",
    "mail",
    "earlier",
    "end",
    "eventually",
    "handbook",
    "form",
    "forms",
    "document",
    "documents",
    "doc",
    "docs",
    "link",
    "address",
    "answer",
    "pdf",
    "guide",
    "table",
    "myself",
    "both",
    "nvm",
    "nevermind",
    "never",
    "mind",
    "found",
    "figured",
    "out",
    "ignore",
    "last",
    "previous",
    "message",
    "msg",
    "website",
    "site",
    "webpage",
    "page",
    "online",
    "web",
    "google",
    "googled",
    "in",
    "the",
    "there",
    "after",
    "all",
];

/// Words that ask: a message with one of them is not withdrawn by "nvm" ("nvm, how long is it?").
const ASKING_WORDS: &[&str] = &[
    "how", "what", "whats", "wat", "when", "where", "who", "why", "which", "can", "could", "is",
    "are", "does", "do", "will", "would", "should",
];

/// Longest text, in words, read as a person's enquiry under a "no automatic reply" field
/// ([`no_automatic_reply`]): a question to a help desk is a paragraph or two, a newsletter or
/// digest is longer.
const MAX_RELAYED_WORDS: usize = 250;

/// A header field by which a message asks for no automatic reply without being a reply:
/// `Auto-Submitted: auto-generated` (RFC 3834 §5; web forms relay a person's enquiry with it),
/// `Precedence: bulk|list` (RFC 3834 §2) and the list fields of RFC 2369 and RFC 2919
/// (`List-Id`, `List-Unsubscribe`, `List-Post`; a person's post to a list the mailbox is on,
/// or is copied on, carries them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoAutoReply {
    /// The field's name as written here ("Auto-Submitted", "Precedence", "List-Id"…).
    pub field: &'static str,
    /// Its value, trimmed and lower-cased (empty for the list fields).
    pub value: String,
}

impl NoAutoReply {
    /// Why a message with this field and no person's enquiry in it is ignored.
    pub fn reason(&self) -> String {
        match self.field {
            "Auto-Submitted" => format!("automatic message (Auto-Submitted: {})", self.value),
            "Precedence" => format!("bulk mail (Precedence: {})", self.value),
            name => format!("mailing-list mail ({name} header)"),
        }
    }

    /// The audit trail's note of an acknowledgement left out because of this field.
    pub fn ack_left_out(&self) -> String {
        if self.value.is_empty() {
            format!(
                "no acknowledgement: the mail asks for no automatic reply ({} header, RFC 3834 §2)",
                self.field
            )
        } else {
            format!(
                "no acknowledgement: the mail asks for no automatic reply ({}: {}, RFC 3834 §2)",
                self.field, self.value
            )
        }
    }
}

/// The first field of `enquiry` that asks for no automatic reply ([`NoAutoReply`]), or `None`.
/// Such a message may still be a person's enquiry (read, drafted for approval, routed to a
/// lead), but nothing is sent to it without a person: no automatic acknowledgement.
pub fn no_automatic_reply(enquiry: &Enquiry) -> Option<NoAutoReply> {
    let h = &enquiry.headers;
    if let Some(v) = h.get("Auto-Submitted") {
        let v = v.trim().to_ascii_lowercase();
        if v != "no" {
            return Some(NoAutoReply {
                field: "Auto-Submitted",
                value: v,
            });
        }
    }
    if let Some(p) = h.get("Precedence") {
        let p = p.trim().to_ascii_lowercase();
        if matches!(p.as_str(), "bulk" | "list" | "junk" | "auto_reply") {
            return Some(NoAutoReply {
                field: "Precedence",
                value: p,
            });
        }
    }
    ["List-Id", "List-Unsubscribe", "List-Post"]
        .into_iter()
        .find(|name| h.has(name))
        .map(|field| NoAutoReply {
            field,
            value: String::new(),
        })
}

/// The footer a discussion list appends under every post: Google Groups' "You received this
/// message because you are subscribed to the Google Groups …" and Mailman's rule of
/// underscores over "<List> mailing list" and its listinfo address.
static LIST_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*you\s+received\s+this\s+message\s+because\s+you\s+are\s+subscribed\s+to\s+the\s+google\s+groups\b|^_{20,}[ \t]*\r?\n[^\n]{0,80}\bmailing\s+list\b")
        .expect("list footer regex is valid")
});

/// Whether [`LIST_FOOTER`] may match `body`: each of its footers holds "google" (in any
/// case; no character beyond ASCII folds to one of its letters) or a run of twenty
/// underscores. Two scans for rare bytes instead of the expression's search, which nearly
/// every message, holding neither, paid in full.
fn may_hold_list_footer(body: &str) -> bool {
    let b = body.as_bytes();
    memchr::memmem::find(b, b"____________________").is_some()
        || memchr::memchr2_iter(b'g', b'G', b).any(|i| {
            b.get(i..i + 6)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"google"))
        })
}

/// `body` without a discussion list's own footer ([`LIST_FOOTER`]) and what follows it: the
/// poster did not write it, and its unsubscribe line says nothing about their mail.
fn without_list_footer(body: &str) -> &str {
    if !may_hold_list_footer(body) {
        return body;
    }
    match LIST_FOOTER.find(body) {
        Some(m) => &body[..m.start()],
        None => body,
    }
}

/// A mailing's greeting to whoever is on its list, at the start of the body: "Dear trainee,",
/// "Dear member", "Hello subscribers". Not "Hi all" or "Dear team", which people write.
static MAILING_GREETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:dear|hello|hi)\s+(?:trainee|member|subscriber|reader|participant|delegate|user|customer|valued\s+[a-z]+)s?\b")
        .expect("mailing greeting regex is valid")
});

/// A digest or issue of a list: "MEDREGS Digest - 11 Nov", "Digest, Vol 12, Issue 3".
static DIGEST_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bdigest\b|\bvol(?:ume)?\.?\s*\d+\s*,?\s*issue\b")
        .expect("digest subject regex is valid")
});

/// A person speaking of themselves: "I", "I'm", "my", "me".
static FIRST_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:i|i['’](?:m|ve|d|ll)|im|my|me|myself)\b")
        .expect("first-person regex is valid")
});

/// Whether a message under a "no automatic reply" field ([`NoAutoReply`]) relays a person's
/// enquiry: it asks something, in a paragraph or two ([`MAX_RELAYED_WORDS`]), with no
/// unsubscribe footer and no digest subject, and there is a person to answer. A web form's
/// relay (`Auto-Submitted: auto-generated`) names the person in `Reply-To`, which is then the
/// address answered; a person's post through a list or a bulk-marked client speaks of
/// themselves ("I'm trying to decide…", "I need…") or asks one short question with no link
/// to read more ([`MAX_SHORT_QUESTION_WORDS`]), which a newsletter's teaser does not.
fn relays_a_person(enquiry: &Enquiry, cleaned_text: &str, marker: &NoAutoReply) -> bool {
    // (a list's footer is not the poster's, also when cleaning left it in their words)
    let cleaned_text = without_list_footer(cleaned_text).trim_end();
    let asks = cleaned_text.contains('?') || ASKS.is_match(cleaned_text);
    if !asks || cleaned_text.split_words().count() > MAX_RELAYED_WORDS {
        return false;
    }
    // a mailing's opt-out without a discussion list's fields: a sender of marketing
    // (RFC 8058 one-click unsubscribe), never a person writing
    let h = &enquiry.headers;
    if h.has("List-Unsubscribe") && !h.has("List-Id") && !h.has("List-Post") {
        return false;
    }
    let subject = enquiry.subject.as_deref().unwrap_or("");
    // (a list's own footer under a post, "You received this message because you are
    // subscribed to the Google Groups…", is below the sender's words, not in them)
    // A call to action of marketing ("Early bird ends Friday", "book now and save") under a
    // field that already says bulk: one sign is enough, where mail without the field needs
    // two or three ([`spam_reason`]); its question is a teaser to the reader ("Are you on a
    // quality improvement pathway?"), not one put to us.
    if DIGEST_SUBJECT.is_match(subject)
        || signs_in(&SPAM_SIGNS, subject, without_list_footer(&enquiry.body), 1) > 0
        || BULK_FOOTER.is_match(without_list_footer(&enquiry.body))
        || BULK_FOOTER.is_match(cleaned_text)
        || ROBOT_SENDER.is_match(&enquiry.from)
    {
        return false;
    }
    if marker.field == "Auto-Submitted" {
        // only a form's relay: the robot in From, the person answered elsewhere (Reply-To,
        // or the form's own "Email:" field)
        if marker.value != "auto-generated" {
            return false;
        }
        let from = enquiry.headers.get("From").unwrap_or("");
        return !enquiry.from.trim().is_empty()
            && !from.trim().is_empty()
            && !from
                .to_ascii_lowercase()
                .contains(&enquiry.from.to_ascii_lowercase());
    }
    // a person speaks of themselves, or asks one short thing with no link to read more
    FIRST_PERSON.is_match(cleaned_text)
        || (cleaned_text.contains('?')
            && cleaned_text.split_words().count() <= MAX_SHORT_QUESTION_WORDS
            && !cleaned_text.contains("http")
            && !cleaned_text.contains("www."))
}

/// Longest question, in words, read as a person's under list or bulk fields without their
/// speaking of themselves: "Is FPT open to trainees in all of the physicianly specialties,
/// or only some?" (a newsletter's teaser comes with a link to read more).
const MAX_SHORT_QUESTION_WORDS: usize = 60;

/// Why a message needs no answer, or `None` when it may need one.
pub fn ignore_reason(enquiry: &Enquiry, cleaned_text: &str) -> Option<String> {
    let h = &enquiry.headers;
    if let Some(v) = h.get("Auto-Submitted") {
        let v = v.trim();
        // auto-replied, auto-notified or any extension: a robot answering; auto-generated is
        // judged below with the other "no automatic reply" fields
        if !v.eq_ignore_ascii_case("no") && !v.eq_ignore_ascii_case("auto-generated") {
            return Some(format!("automatic message (Auto-Submitted: {v})"));
        }
    }
    // X-Auto-Response-Suppress is deliberately absent: it asks others not to auto-reply. So
    // is X-MS-Exchange-Generated-Message-Source: a person's mail forwarded by a mailbox rule
    // carries it too.
    for name in [
        "X-Autoreply",
        "X-Autorespond",
        "X-Autoresponder",
        "X-Auto-Response",
        "X-Autogenerated",
        "X-MS-Exchange-Message-Is-Ndr",
    ] {
        if h.has(name) {
            return Some(format!("automatic message ({name} header)"));
        }
    }
    // Exchange's out-of-office and rule reply templates, wherever Exchange names the class
    if h.0.iter().any(|(_, v)| {
        let v = v.to_ascii_lowercase();
        v.contains("ipm.note.rules.ooftemplate") || v.contains("ipm.note.rules.replytemplate")
    }) {
        return Some("automatic message (Exchange out-of-office template)".into());
    }
    if let Some(ct) = h.get("Content-Type") {
        let ct = ct.to_ascii_lowercase();
        if ct.contains("disposition-notification") {
            return Some("read receipt (multipart/report)".into());
        }
        if ct.contains("multipart/report") || ct.contains("message/delivery-status") {
            return Some("delivery report (bounce)".into());
        }
        if ct.starts_with("text/calendar") {
            return Some("calendar invitation or response (text/calendar)".into());
        }
    }
    if let Some(p) = h.get("Precedence") {
        let p = p.trim().to_ascii_lowercase();
        if p == "auto_reply" {
            return Some(format!("bulk mail (Precedence: {p})"));
        }
    }
    if let Some(marker) = no_automatic_reply(enquiry) {
        if !relays_a_person(enquiry, cleaned_text, &marker) {
            return Some(marker.reason());
        }
    }
    if h.get("Return-Path").is_some_and(is_null_reverse_path) {
        return Some(
            "bounce or automatic reply (null Return-Path <>, RFC 5321 §4.5.5 and RFC 3834)".into(),
        );
    }
    if enquiry.channel() == Channel::Email {
        if let Some(reason) = email_reason(enquiry, cleaned_text) {
            return Some(reason);
        }
    }
    if enquiry.channel() == Channel::Chat {
        // spam bots post in chat channels too
        if let Some(reason) = spam_reason("", &enquiry.body) {
            return Some(reason);
        }
        // and so do auto-reply bots, under a bracketed marker
        if CHAT_AUTO_REPLY.is_match(&enquiry.body) {
            return Some("automatic reply posted in chat ([Automatic reply] marker)".into());
        }
    }
    if enquiry.unreadable.is_some() {
        // no text was read: neither empty nor small talk, an admin must look
        return None;
    }
    // ("(no subject)" is the mail client's word for none)
    let subject_empty = enquiry
        .subject
        .as_deref()
        .is_none_or(|s| s.trim().is_empty() || crate::text::subject::is_placeholder(s));
    if cleaned_text.trim().is_empty()
        && (enquiry.channel() == Channel::Chat || (subject_empty && enquiry.attachments.is_empty()))
    {
        return Some("empty message".into());
    }
    // A subject asks something only when it is a new question, not "Re: …" of our reply.
    // A subject asks when it is a new one (not "Re:" of our reply) with a question mark or
    // more than small talk: "Please send me the FPT application form" with an empty body.
    // (Worked out when first needed: the rules below ask it after their cheaper tests.)
    let subject_asks = std::cell::LazyCell::new(|| {
        enquiry.subject.as_deref().is_some_and(|s| {
            let s = s.trim().to_ascii_lowercase();
            !crate::text::subject::is_reply(&s)
                && !s.is_empty()
                && (s.contains('?') || !(is_small_talk(&s) || thanks_or_greetings_subject(&s)))
        })
    });
    // "Yes, I do. Thanks!" in reply to our question answers it: a person must read it
    let answers = enquiry.channel() == Channel::Email && YES_OR_NO.is_match(cleaned_text);
    // "Follow-up to the below: thanks!": the lead-in of a reply in one's own thread asks
    // nothing by itself
    let after_lead_in = FOLLOW_UP_LEAD_IN.replace(cleaned_text, "");
    if (is_small_talk(cleaned_text)
        || (after_lead_in.len() < cleaned_text.len() && is_small_talk(&after_lead_in))
        || is_thanks_in_another_language(cleaned_text)
        || opens_with_thanks_elsewhere(&enquiry.body, cleaned_text))
        && (enquiry.channel() == Channel::Chat || (!*subject_asks && !answers))
    {
        return Some("small talk with no question".into());
    }
    if enquiry.channel() == Channel::Chat
        && is_banter(cleaned_text)
        && !needs_or_troubled(cleaned_text)
    {
        return Some("chat banter with no question".into());
    }
    if enquiry.channel() == Channel::Chat && takes_back_its_question(cleaned_text) {
        return Some("a joke in chat: its one question is taken back (\"jk\")".into());
    }
    if enquiry.channel() == Channel::Chat && arranges_travel(cleaned_text) {
        return Some("colleagues arranging to travel together, nothing asked of the team".into());
    }
    // "> mo: where are the fpt forms?\nthey're on the HEE page under trainee forms": a reply
    // to the message it quotes that asks nothing is said to its writer (a reply that asks the
    // quoted question again was made that question before this)
    let calls_on_the_desk =
        enquiry.channel() == Channel::Chat && crate::text::clean::calls_on_the_desk(&enquiry.body);
    if enquiry.channel() == Channel::Chat
        && !calls_on_the_desk
        && QUOTED_LINE.is_match(&enquiry.body)
        && !asks_anything(cleaned_text)
    {
        return Some(
            "chat between colleagues: a reply to the message it quotes, asking nothing of the team"
                .into(),
        );
    }
    // "@jess no idea tbh\n@FPTbot who runs fpt now?": the desk called on is asked
    if enquiry.channel() == Channel::Chat && !calls_on_the_desk {
        match addressee(&enquiry.body) {
            Some(Addressee::Colleague) => {
                return Some(
                    "chat addressed to a colleague by name (\"@Priya\", \"Jen can you\"), not to the team or the bot"
                        .into(),
                )
            }
            Some(Addressee::Room(rest)) if !asks_anything(rest) => {
                return Some("a notice to everyone in the channel (@all, @here), asking nothing".into())
            }
            Some(Addressee::GreetedRoom(rest)) if !asks_anything(rest) => {
                return Some(GREETED_ROOM_NOTICE.into())
            }
            _ => {}
        }
    }
    // (in chat too: "ok ty will check the handbook later x")
    if !cleaned_text.contains('?')
        && cleaned_text.split_words().count() <= 30
        && (enquiry.channel() == Channel::Chat || !*subject_asks)
        && !ASKS.is_match(cleaned_text)
        && THANKS_AND_NEXT_STEP.is_match(cleaned_text.trim())
        && !STILL_NEEDS.is_match(cleaned_text)
    {
        return Some("thanks, and what the sender will do next; nothing asked".into());
    }
    // "Just wanted to say the information evening was brilliant – well done to everyone
    // involved!": praise, with nothing asked, wanted or gone wrong; or, in a reply or in
    // chat, thanks with remarks that ask nothing ("Thanks - that's cleared it up. I'd assumed
    // it was basically a research fellowship. Will chat to my TPD next week.")
    // ("Who knew FPT had so many options? Thanks for the brilliant talk …": a question that
    // exclaims asks nothing)
    let exclaimed = RHETORICAL_QUESTION.replace_all(cleaned_text, " ");
    let cleaned_text: &str = &exclaimed;
    let replies = || {
        enquiry.channel() == Channel::Chat
            || enquiry
                .subject
                .as_deref()
                .is_some_and(|s| crate::text::subject::is_reply(&s.trim().to_ascii_lowercase()))
    };
    if !cleaned_text.contains('?')
        && cleaned_text.split_words().count() <= MAX_PRAISE_WORDS
        && (enquiry.channel() == Channel::Chat
            || !*subject_asks
            || SAYS_NOTHING_ASKED.is_match(cleaned_text))
        && !ASKS.is_match(&THANKED_FOR_QUERY.replace_all(
            &HOW_MUCH_EXCLAIMED.replace_all(cleaned_text, ""),
            "",
        ))
        && (PRAISE.is_match(cleaned_text)
            || (OPENS_WITH_THANKS.is_match(cleaned_text.trim())
                // ("THANK YOU!!" over "Thank you - after weeks of chasing I finally have my
                // FPT day on the rota": a new mail that only thanks is a reply in all but name)
                && (replies()
                    || enquiry
                        .subject
                        .as_deref()
                        .is_some_and(thanks_or_greetings_subject))))
        && !needs_or_troubled(cleaned_text)
        && !NOT_PRAISE.is_match(cleaned_text)
        // "thanks. and is fpt run the same way in every region or does it vary" (last: it
        // splits the text into sentences)
        && !crate::text::clean::asks_unmarked(cleaned_text)
    {
        return Some("praise or thanks, with nothing asked".into());
    }
    // "Thank you for explaining how much protected time there is - no further questions.",
    // "thanks, that answers my question about the pathways!", "ok got it re the 20% thing,
    // ta", "please disregard my previous email asking how to apply - I've found it": what is
    // acknowledged as answered, or taken back, is no question; with it taken out, nothing is
    // asked, needed or wrong
    if !cleaned_text.contains('?')
        && cleaned_text.split_words().count() <= MAX_PRAISE_WORDS
        && (ANSWERED_CLAUSE.is_match(cleaned_text)
            || SAYS_NOTHING_ASKED.is_match(cleaned_text)
            || SETTLED.is_match(cleaned_text))
    {
        let rest = ANSWERED_CLAUSE.replace_all(cleaned_text, " ");
        let rest = SAYS_NOTHING_ASKED.replace_all(&rest, " ");
        // (what the earlier mail asked is no question now: "I had sent a query last week
        // regarding FPT", "My previous email asked whether prior QI experience is needed")
        let rest = EARLIER_QUERY.replace_all(&rest, " ");
        let withdraws = WITHDRAWS_EARLIER_MAIL.is_match(cleaned_text);
        // ("I've sorted the leave with my rota coordinator too, so all good": what is
        // settled is no trouble)
        let rest = SETTLED.replace_all(&rest, " ");
        // (a thanks run on at the clause's end is read too: "perfect thats exactly what i
        // was after ta")
        if (THANKS_WORD.is_match(cleaned_text) || withdraws || FAREWELL.is_match(&rest))
            && (enquiry.channel() == Channel::Chat
                || !*subject_asks
                || withdraws
                || SAYS_NOTHING_ASKED.is_match(cleaned_text))
            && !asks_anything(&GOOD_WISHES.replace_all(&rest, ""))
            && !needs_or_troubled(&rest)
        {
            return Some("acknowledges an answer or takes back a question; nothing asked".into());
        }
    }
    // "ah ok so it IS one day a week not two. thanks!", "great, so HEE runs it now not the
    // RCP. ta", "Thanks, that makes sense - so it wasn't that London was excluded forever,
    // just the pilot.": the answer restated as understood, with thanks, in chat or a reply
    if !cleaned_text.contains('?')
        && cleaned_text.split_words().count() <= MAX_PRAISE_WORDS
        && RESTATED.is_match(cleaned_text)
        && THANKS_WORD.is_match(cleaned_text)
        && replies()
        && !asks_anything(&GOOD_WISHES.replace_all(cleaned_text, ""))
        && !needs_or_troubled(cleaned_text)
    {
        return Some("restates the answer as understood, with thanks; nothing asked".into());
    }
    None
}

/// The sender saying in so many words that they ask nothing: "No questions from me - see you
/// at the next one!", "nothing to ask this time", "no need to reply". It outweighs a subject
/// that reads like a topic ("FPT induction day").
static SAYS_NOTHING_ASKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bno\s+(?:questions?|queries|query)\s+(?:from\s+(?:me|us)|for\s+(?:now|you)|at\s+(?:the\s+moment|this\s+stage)|this\s+time|here)\b|\bnothing\s+(?:to\s+ask|(?:else\s+)?needed|i\s+need)\b|\bno\s+need\s+to\s+(?:reply|respond|get\s+back)\b")
        .expect("says-nothing-asked regex is valid")
});

/// A sentence saying that something of the sender's is settled: "I've sorted the leave with
/// my rota coordinator too, so all good.", "all fixed now", "we have arranged cover". Taken
/// out of an acknowledgement before it is read for trouble ("leave" is otherwise a wish to
/// leave). Not one with a question in it.
static SETTLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[^.!?\n]*\b(?:(?:i|we)\s*(?:['’]ve|\s+have)\s+(?:now\s+|also\s+|already\s+|just\s+)?(?:sorted|fixed|resolved|arranged|organi[sz]ed)|so\s+all\s+(?:good|sorted|fine)|all\s+(?:fixed|sorted)\s+now)\b[^.!?\n]*[.!]?")
        .expect("settled regex is valid")
});

/// Good wishes that open like a question ("Have a good week."): taken out before a thanks
/// message is checked for a question.
static GOOD_WISHES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bhave\s+a\s+(?:lovely|good|great|nice|restful|relaxing|happy|wonderful)\s+(?:weekend|wkend|week|evening|holiday|holidays|break|christmas|summer|day|easter|eid|diwali|new\s+year)\b")
        .expect("good wishes regex is valid")
});

/// An answer restated as understood, at the start of a message: "ah ok so it IS one day a
/// week", "great, so HEE runs it now", "great, so minimum one year then", "Thanks, that makes
/// sense - so Thames Valley just wasn't part of the pilot": acknowledging words, then "so"
/// and a statement ("ok so is it …" asks: [`ignore_reason`] checks that nothing is asked).
static RESTATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:ah+|oh+|ok(?:ay)?|right|alright|great|perfect|brilliant|cool|lovely|got\s+it|i\s+see|(?:that|it)(?:['’]s|\s+is)?\s+makes?\s+sense|makes\s+sense|(?:thanks|thank\s+you)(?:\s+(?:so|very)\s+much|\s+a\s+lot|\s+again)?|many\s+thanks|cheers)\W+)+so\s+\w")
        .expect("restated regex is valid")
});

/// What a reply acknowledges as answered, or takes back, up to the end of its clause: "for
/// explaining how much protected time there is", "that answers my question about the
/// pathways", "that answers both of my questions", "I had been wondering what the aims
/// were", "got it re the 20% thing", "no
/// further questions", "my doubt is solved", "so that's answered", "I understand now that
/// it's 20%", "I have got my answer from the handbook", "it was sent to the wrong recipient",
/// "that cleared it up", "that's what I assumed", "that confirms what I thought", "that's
/// exactly what I was after", "sorry again for what was probably a silly question", a claim the
/// answer settled ("turns out the rumour was wrong", "so my
/// colleague was mistaken"),
/// "disregard my previous email asking how to apply". What it names is a
/// topic the sender no longer asks about ([`ignore_reason`]).
static ANSWERED_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(?:for\s+(?:explaining|clarifying|confirming|telling\s+(?:me|us)|letting\s+(?:me|us)\s+know|setting\s+out|spelling\s+out|answering|the\s+(?:info|information|answer|reply|details|explanation|clarification|update)\s+(?:on|about|re|regarding|as\s+to))|\banswer(?:s|ed)\s+(?:(?:both|all|each)\s+(?:of\s+)?)?my\s+(?:question|query|queries|questions)|(?:i\s+have\s+|i['’]ve\s+)?(?:now\s+)?got\s+(?:my|the|an)\s+answer|(?:that|this|it|which|your\s+(?:reply|answer|e-?mail|message))(?:['’]s|\s+has|\s+have)?\s+(?:really\s+|totally\s+|fully\s+)?(?:cleared\s+up|cleared|sorted(?:\s+out)?|resolved|settled)\s+(?:my|the)\s+(?:question|query|queries|questions|confusion)|(?:that|this|your\s+(?:reply|answer|e-?mail|message))(?:['’]s|\s+has)?\s+(?:really\s+|totally\s+|fully\s+)?cleared\s+(?:it|that|things|everything)\s+up|(?:the|that|this|my|our)\s+(?:rumou?r|myth|story|claim|info(?:rmation)?|colleague|friend|mate|consultant|supervisor|es|reg|registrar|tpd|boss|team)s?\s+(?:was|were|is|are|had\s+it)\s+(?:completely\s+|totally\s+|just\s+|simply\s+|clearly\s+)?(?:wrong|false|untrue|incorrect|mistaken|not\s+true|nonsense|rubbish|a\s+myth|out\s+of\s+date|outdated)|(?:i\s+had|i['’]d|i\s+have|i['’]ve)\s+been\s+wondering|(?:got\s+it|noted|understood)\s+(?:re|about|regarding|on)\b|no\s+(?:further|more|other)\s+(?:questions?|queries|query)|(?:my\s+|the\s+)?(?:doubts?|query|queries|questions?|issue)\s+(?:is|are|has\s+been|have\s+been|got)\s+(?:now\s+)?(?:solved|resolved|sorted|answered|cleared(?:\s+up)?)|(?:so\s+)?(?:that|this|it)(?:['’]s|\s+is|\s+has\s+been)\s+(?:now\s+)?(?:answered|resolved)|i\s+(?:understand|see|get\s+it)\s+now|(?:that|this|it)(?:['’]s|s|\s+is|\s+was)\s+(?:exactly\s+|just\s+|precisely\s+)?what\s+i\s+(?:thought|assumed|expected|figured|suspected|guessed|needed|wanted|was\s+after|was\s+looking\s+for|was\s+hoping\s+for)|sorry\s+(?:again\s+)?(?:for|about)\s+(?:what\s+was\s+)?(?:(?:probably|possibly|perhaps|likely)\s+)?(?:such\s+)?(?:a|my|the|all\s+the|so\s+many)\s+(?:\w+\s+){{0,2}}?(?:question|questions|query|queries|q|qs)\b|(?:that|this|it|you['’]ve|you\s+have|your\s+(?:reply|answer|e-?mail|message)(?:\s+has)?)\s+(?:just\s+)?confirm(?:s|ed)\s+what\s+i\s+(?:thought|assumed|expected|figured|suspected|guessed)|(?:just\s+)?as\s+i\s+(?:thought|assumed|suspected)|(?:it\s+)?was\s+(?:sent|meant|addressed)\s+(?:to\s+(?:the\s+|a\s+)?wrong\s+[a-z]+|for\s+(?:someone|somebody)\s+else)|{WITHDRAWAL})(?:[^.!?,;:–—\-]|-\S)*"))
        .expect("answered clause regex is valid")
});

/// A mention of the sender's earlier question, to the end of its sentence: "I had sent a query
/// last week regarding FPT", "My previous email asked whether prior QI experience is needed".
/// Beside an acknowledged answer ([`ANSWERED_CLAUSE`]) it asks nothing.
static EARLIER_QUERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:i\s+)?(?:had\s+|have\s+|['’]d\s+|['’]ve\s+)?(?:sent|emailed|raised|submitted)\s+(?:you\s+|in\s+)?(?:a|an|my|the)\s+(?:query|question|enquiry|e-?mail|message)|my\s+(?:previous|earlier|last|first|original)\s+(?:e-?mail|message|query|question|enquiry)\s+(?:asked|was\s+about|enquired))[^.!?;]*")
        .expect("earlier query regex is valid")
});

/// Words taking back an earlier mail or question: "please disregard my previous email",
/// "ignore my last msg", "scratch that last email", "never mind my question", "no need to
/// reply to my question about the minimum", "forget what I said about Leeds", "scratch that,
/// found it", "never mind, …", "no further action is required", "please close this ticket".
const WITHDRAWAL: &str = r"(?:(?:disregard|ignore|scratch|forget(?:\s+about)?|cancel|withdraw|never\s*mind|nvm|no\s+need\s+to\s+(?:reply|respond|answer|get\s+back\s+to\s+me)(?:\s+(?:to|on|about))?)\s+(?:my|the|that|this)\s+(?:(?:previous|earlier|last|other|first|original|recent)\s+)?(?:e-?mail|message|msg|mail|query|question|enquiry|q)s?\b|no\s+need\s+to\s+(?:reply|respond|answer)\b|(?:disregard|ignore|forget(?:\s+about)?|scratch)\s+what\s+i\s+(?:said|wrote|asked|sent)\b|(?:scratch|ignore|disregard|forget)\s+(?:that|this)\b|never\s*mind\b|no\s+further\s+action\s+(?:is\s+)?(?:required|needed|necessary)|(?:please\s+|pls\s+|kindly\s+)?close\s+(?:this|the|my)\s+(?:ticket|query|enquiry|case|request)\b)";

/// A mail taking back an earlier one ([`WITHDRAWAL`]).
static WITHDRAWS_EARLIER_MAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b{WITHDRAWAL}")).expect("withdraws earlier mail regex is valid")
});

/// A subject that thanks and asks nothing: "Thank you for Thursday", "Thanks for the
/// information evening" (what it thanks for is not a question).
static THANKS_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:many|huge|big)\s+)?(?:thanks|thank\s+you|thankyou|cheers)\b(?:\s+(?:so\s+much|again|all|everyone|team))?(?:\s*[-–—,.!:]\s*|\s+for\s+(?:the\s+|your\s+|a\s+|an\s+|this\s+|last\s+)?[\w\s'’-]{0,40})?\W*$")
        .expect("thanks subject regex is valid")
});

/// A subject of good wishes alone: "Happy new year!", "Merry Christmas", "Season's
/// greetings from Leeds" (what the wishes come from asks nothing).
static GREETING_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:happy\s+(?:new\s+year|christmas|holidays|easter|diwali|eid|hanukkah|friday)|merry\s+christmas|eid\s+mubarak|season['’]s\s+greetings|(?:best|warm(?:est)?)\s+wishes)\b[\w\s,'’-]{0,40}?\W*$")
        .expect("greeting subject regex is valid")
});

/// Whether a subject only thanks or wishes well ([`THANKS_SUBJECT`], [`GREETING_SUBJECT`]),
/// once or in parts joined by "and", "&", "+" or a comma: "Thank you and happy new year".
fn thanks_or_greetings_subject(subject: &str) -> bool {
    SUBJECT_JOINS.split(subject).all(|part| {
        let part = part.trim();
        part.is_empty() || THANKS_SUBJECT.is_match(part) || GREETING_SUBJECT.is_match(part)
    }) && subject.chars().any(char::is_alphanumeric)
}

/// What joins the parts of a subject of thanks and good wishes ([`thanks_or_greetings_subject`]).
static SUBJECT_JOINS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:and|&|\+)\s+|\s*[,+&]\s*").expect("subject joins regex is valid")
});

/// The lead-in of a reply in the sender's own thread, up to its colon or dash: "Follow-up to
/// the below:" ([`crate::matcher::FOLLOW_UP_TO_THE_BELOW`]), "Further to my email below -".
static FOLLOW_UP_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    let below = crate::matcher::FOLLOW_UP_TO_THE_BELOW;
    Regex::new(&format!(r"(?i)^\W*(?:{below}|further\s+to\s+(?:the|my)\s+(?:(?:e-?mail|message)\s+)?below)\s*[:,.–—-]+\s*"))
        .expect("follow-up lead-in regex is valid")
});

/// Thanks for dealing with the sender's earlier questions, to the end of its clause: "thanks
/// for sorting my query back in October", "thank you for your patience with all my
/// questions". It speaks of a question answered, and asks none ([`ASKS`] reads "query" and
/// "question" as asking).
static THANKED_FOR_QUERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bfor\s+(?:(?:sorting|answering|dealing\s+with|handling|replying\s+to|responding\s+to|looking\s+into|bearing\s+with|putting\s+up\s+with)(?:\s+out)?|(?:your|the)\s+(?:patience|help)\s+with)\s+(?:all\s+)?(?:of\s+)?(?:my|our)\s+(?:(?:many|endless|silly|last|earlier|previous|recent)\s+)?(?:query|queries|question|questions|enquiry|enquiries|qs)\b[^.!?;]*")
        .expect("thanked-for-query regex is valid")
});

/// A question that exclaims rather than asks, to the end of its sentence: "Who knew FPT had
/// so many options?", "who'd have thought it?", "how cool is that?", "isn't that great?".
static RHETORICAL_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[.!?]\s+)\W*(?:who\s+knew|who(?:['’]d|\s+would)\s+have\s+(?:thought|guessed|known)|how\s+(?:cool|great|amazing|brilliant|awesome|exciting)\s+is\s+that|isn['’]t\s+(?:that|it)\s+(?:great|brilliant|amazing|fantastic|wonderful))\b[^.?!]*[?!]+")
        .expect("rhetorical question regex is valid")
});

/// Praise's "how much" that exclaims rather than asks: "how much I enjoyed the day", "how
/// much we appreciated it".
static HOW_MUCH_EXCLAIMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bhow\s+much\s+(?:i|we)\s+(?:really\s+)?(?:enjoyed|loved|liked|appreciated|valued|learned|learnt|got\s+out\s+of)\b")
        .expect("exclaimed how-much regex is valid")
});

/// A message opening with thanks: "Thanks - that's cleared it up. …", "Many thanks for this.",
/// "Noted with thanks.", "I am highly obliged for your kind and prompt reply.",
/// "That's all sorted now, thanks so much for your help - …", "That's really helpful, thank
/// you so much - …"
static OPENS_WITH_THANKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:ok(?:ay)?|oh|ah|great|perfect|brilliant|lovely|noted(?:\s+with)?)[,.!\s]+)?(?:(?:that['’]?s|thats|it['’]?s|this\s+is|all)\s+(?:all\s+)?(?:(?:really|very|so|super|incredibly|extremely)\s+)?(?:sorted|resolved|clear|fine|helpful|useful|great|brilliant|perfect|reassuring)(?:\s+now)?[,.!\s–—-]+)?(?:(?:many|huge|big)\s+)?(?:thanks|thank\s+you|thankyou|thx|ty|cheers|ta|(?:i\s+am|i['’]m|we\s+are|we['’]re)\s+(?:(?:highly|very|most|much|deeply|truly|really|so|extremely)\s+)?(?:obliged|grateful|thankful)\s+(?:for|to)\b)\b")
        .expect("opens-with-thanks regex is valid")
});

/// Longest message, in words, read as praise alone ([`PRAISE`]).
const MAX_PRAISE_WORDS: usize = 60;

/// Praise of something done: "well done to everyone involved", "great job", "kudos to the
/// team", "just wanted to say … was brilliant", "congratulations on …", "keep up the brilliant
/// work", "you lot are great", "fpt is the best thing about my training", "just a quick note
/// to say thank you for …"; and good wishes:
/// "hope you all had a lovely Christmas", "Happy New Year"; and thanks for what is past:
/// "thank you for all your help this year", "thanks for the brilliant talk at the training
/// day", "loving my fpt day", "it's made a real difference".
static PRAISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:well\s+done|great\s+(?:job|work)|good\s+job|kudos|congratulations|congrats|hats\s+off|keep\s+up\s+the\s+(?:good|great|brilliant|excellent|amazing|fantastic)\s+work|(?:you|y['’]?all)\s+(?:lot\s+|guys\s+|all\s+)?(?:are|r)\s+(?:great|brilliant|amazing|stars|legends|the\s+best)|(?:is|are|was)\s+the\s+best\s+thing\s+(?:about|in|that)|(?:(?:just\s+)?(?:wanted|want)|(?:just\s+)?a\s+(?:quick\s+|short\s+|brief\s+|little\s+)?(?:note|line|message|email)|(?:i['’]m\s+|i\s+am\s+)?(?:just\s+)?writing)\s+to\s+(?:say|pass\s+on)\b[^?]{0,200}?\b(?:brilliant|excellent|fantastic|great|superb|inspiring|amazing|wonderful|useful|helpful|valuable|thank|transformed|enjoyed|loved|lovely)|have\s+a\s+(?:lovely|good|great|nice|restful|relaxing|happy|wonderful)\s+(?:weekend|wkend|evening|holiday|holidays|break|christmas|summer|day|easter|eid|diwali|new\s+year)|hope\s+(?:you|everyone)\s+(?:all\s+)?(?:had|have|are\s+having)\s+a\s+(?:lovely|good|great|nice|restful|relaxing|happy|wonderful)|happy\s+(?:new\s+year|christmas|holidays|easter|diwali|eid|hanukkah)|merry\s+christmas|season['’]s\s+greetings|eid\s+mubarak|(?:it|that|this|you|your\s+(?:reply|answer|e-?mail|message|advice))\s+(?:really\s+|so\s+|truly\s+|genuinely\s+)?helped\b|(?:thanks|thank\s+you)\s+(?:(?:so|very)\s+much\s+)?for\s+all\s+(?:your|the|of\s+your)\s+(?:help|support|advice|hard\s+work|patience)|\b(?:loving|really\s+enjoying|enjoying|love)\s+(?:my|the|our)\s+(?:fpt|portfolio|protected|research|qi|med\s*ed|teaching|informatics)\s+(?:day|days|time|pathway|year)\b|(?:thanks|thank\s+you)\s+(?:(?:so|very)\s+much\s+|again\s+)?for\s+(?:the|your|a|an|such\s+an?)\s+(?:(?:really|very|so|super|truly)\s+)?(?:brilliant|great|excellent|fantastic|amazing|lovely|wonderful|informative|helpful|useful|inspiring|interesting|clear|engaging|superb)\s+(?:talk|session|presentation|webinar|event|evening|day|workshop|seminar|teaching|lecture|induction|overview|introduction|q\s*&\s*a)|(?:it|that|this|you|fpt)(?:['’]s|\s+has|\s+have|\s+really)?\s+made\s+(?:a|such\s+a|all\s+the)\s+(?:real\s+|huge\s+|big\s+|massive\s+|great\s+)?difference)\b")
        .expect("praise regex is valid")
});

/// What praise alone does not say: a contrast or a complaint ("was brilliant, but the
/// slides never arrived"), something missing or wrong, or something wanted ("Happy New
/// Year! I am interested in the research pathway", "… please send the slides").
static NOT_PRAISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:but|however|although|though|except|unfortunately|sadly|problem|issue|missing|wrong|disappointed|complain\w*|never|not|no\s+one|nobody|interested|interest|apply|applying|application|enquir\w*|inquir\w*|please|could|would\s+like|send|attach\w*|hoping\s+to|planning\s+to|looking\s+to)\b|i['’]d\s+like|n['’]t\b")
        .expect("not-praise regex is valid")
});

/// Laughter in a chat message: "lol", "haha", "lmao", and the laughing emoji.
static LAUGHTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:lol|lols|lolol|haha+|ha\s+ha|hehe+|lmao|lmfao|rofl)\b|[😂🤣😆😅😹]")
        .expect("laughter regex is valid")
});

/// Words that ask or complain anywhere in a chat message: a remark with one of them may need
/// a person ("lol my fpt day got cancelled again, who do i moan to").
#[rustfmt::skip]
const BANTER_ASKS: &[&str] = &[
    "explain", "help", "anyone", "anybody", "someone", "please", "pls", "plz",
    "cancelled", "canceled", "moan", "complain", "complaint", "unfair", "refused", "refuses",
    "allowed", "need", "wondering", "wonder", "idea", "ideas", "know", "sure", "confused",
    "unclear",
];

/// Words before a clause's opener that do not start it: "ok but what is fpt lol", "yo how
/// many days a wk do u get off for fpt lol".
const BANTER_FILLERS: &[&str] = &[
    "ok", "okay", "but", "so", "and", "also", "like", "um", "hmm", "wait", "anyway", "oh", "ah",
    "yo", "hey", "hi", "hiya", "oi", "btw", "erm", "uh", "guys", "lads", "all",
];

/// Whether a clause of `text` (split at punctuation and laughter) opens, after any fillers
/// ([`BANTER_FILLERS`]), the way a question does (`text::clean::opens_a_question`: "can i
/// do locums on my fpt day 😅", "lol, who do i moan to"); a question word inside a clause
/// does not ask ("thrilled when i tell him", "than my ES ever is haha"). Words are read as
/// tokens, so chat spellings ask too ("wot is it lol").
fn a_clause_opens_a_question(text: &str) -> bool {
    LAUGHTER
        .split(text)
        .flat_map(|part| part.split(|c: char| ",.;:!()[]\"-–—".contains(c)))
        .any(|clause| {
            for_each_token(clause, |w| {
                if BANTER_FILLERS.contains(&w) {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(crate::text::clean::opens_a_question(w))
                }
            }) == ControlFlow::Break(true)
        })
}

/// Longest chat remark read as banter, in words.
const MAX_BANTER_WORDS: usize = 20;

/// True for a chat remark made in laughter that asks nothing: "lol same", "lol our
/// consultant calls it 'flexi friday' even though mine's on a tuesday 😂". It laughs
/// ([`LAUGHTER`]), has no question mark, is short ([`MAX_BANTER_WORDS`]) and has no word
/// that asks or complains ([`BANTER_ASKS`]), nor a clause opened by a word that asks. A question
/// written in laughter ("what does FPT stand for lol", "is it paid lol") is read as one.
pub fn is_banter(text: &str) -> bool {
    if text.contains('?') || !LAUGHTER.is_match(text) || a_clause_opens_a_question(text) {
        return false;
    }
    let mut words = 0;
    for_each_token(text, |w| {
        words += 1;
        if words > MAX_BANTER_WORDS || BANTER_ASKS.contains(&w) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .is_continue()
}

/// Words that take back what was just said: "jk", "j/k", "just kidding", "only joking", "I'm
/// messing", after any laughter ([`TAKEN_BACK`], [`TAKEN_BACK_AT_END`]). It leaves its group of
/// alternatives open: each user adds its own and closes it.
const TAKING_BACK: &str = r"(?:(?:lol|lols|haha+|hehe+|lmao)[\W_]+)*(?:jk|jks|j/k|jkjk|(?:i['’]?m\s+|im\s+)?(?:just|only)\s+(?:kidding|joking|messing)";

/// What a chat message may end with to take back the question before it: "😂 jk jk", "lol
/// just kidding", "(only joking)", "j/k obviously". Only laughter, emoji and punctuation may
/// stand beside it; a bare "kidding" or "joking" too.
static TAKEN_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^[\W_]*{TAKING_BACK}|(?:i['’]?m\s+|im\s+)?(?:kidding|joking))(?:[\W_]+(?:jk|lol|haha+|obviously|obvs|ofc|of\s+course))*[\W_]*$"))
        .expect("taken-back regex is valid")
});

/// [`TAKING_BACK`] closing a message with no question mark, after a space: " lol just
/// kidding", " right jk" (its words from the last space before the taking back).
static TAKEN_BACK_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\s{TAKING_BACK})(?:[\W_]+(?:jk|lol|haha+))*[\W_]*$"
    ))
    .expect("taken-back-at-end regex is valid")
});

/// Whether a chat message asks one question and takes it back after it ([`TAKEN_BACK`]):
/// "can i spend my protected day on the golf course? 😂 jk jk". A second question, or
/// anything else after the taking back ("jk, but seriously what can I spend it on?"), is
/// still asked.
fn takes_back_its_question(text: &str) -> bool {
    let at = match text.find('?') {
        Some(at) => at,
        // "is FPT just a day off lol just kidding", "so FPT is basically a 4 day week right
        // jk": unmarked, the taking back ends the one sentence
        None => match TAKEN_BACK_AT_END.find(text) {
            Some(m) if m.start() > 0 => m.start(),
            _ => return false,
        },
    };
    let after = text[at..].trim_start_matches('?');
    !after.contains('?')
        && !after.trim().is_empty()
        && TAKEN_BACK.is_match(after)
        && crate::text::clean::sentences(&text[..at]).len() <= 1
}

/// Whether a chat message only arranges travel between colleagues
/// ([`crate::text::unasked::TRAVEL_TOGETHER`]):
/// every sentence that asks is such an arrangement.
fn arranges_travel(text: &str) -> bool {
    use crate::text::unasked::TRAVEL_TOGETHER;
    // (nothing asked or missing beside the arrangement, in its sentence or another: "happy
    // to car share, but honestly no idea who to ask about FPT expenses")
    TRAVEL_TOGETHER.is_match(text)
        && crate::text::clean::sentences(text).iter().all(|s| {
            if TRAVEL_TOGETHER.is_match(s) {
                !ASKS_BESIDE_TRAVEL.is_match(&TRAVEL_TOGETHER.replace_all(s, ""))
            } else {
                !s.contains('?')
                    && !crate::text::clean::asks_unmarked(s)
                    && !ASKS_BESIDE_TRAVEL.is_match(s)
            }
        })
}

/// What asks or wants something beside an arrangement to travel: a question word, "no idea",
/// "not sure".
static ASKS_BESIDE_TRAVEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:who|what|when|where|why|how|which|whether|no\s+idea|not\s+sure|unsure|anyone\s+know)\b")
        .expect("asks-beside-travel regex is valid")
});

/// A chat message that opens by calling on someone in the channel: Discord's mention of a
/// user (`<@123>`, `<@!123>`; the adapter has already taken out mentions of the bot) or a
/// typed "@name".
static OPENS_WITH_A_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W*?(?:<@!?\d+>|@(?P<name>[\w.-]+))").expect("mention regex is valid")
});

/// Names by which a chat message calls on the help desk itself, not a colleague ("@fpt-bot",
/// "@FPT team", "@admin").
static DESK_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:fpt|flexible|bot|help|helpdesk|admin|admins|team|support)\b|bot$")
        .expect("desk-name regex is valid")
});

/// Names by which a chat message calls on everyone in the channel ("@all", "@here").
static ROOM_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:everyone|here|all|channel|team-?all)$").expect("room-name regex is valid")
});

/// Words after which a message meant for a colleague is turned to the help desk ("@jess do
/// u reckon … sorry that was meant for the bot", "@Dr Shah (FPT lead) - how long does FPT
/// last?") or to everyone ("@Priya thanks! also does anyone know if …").
static TURNS_TO_THE_DESK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:bot|fpt[\s-]*team|admin\s+team|help\s*desk|(?:fpt|regional)\s+lead)\b|\b(?:does\s+|do\s+)?any\s*(?:one|body)\s+(?:else\s+)?know\b")
        .expect("turns-to-the-desk regex is valid")
});

/// A mention that is the subject of a report, not the one addressed: "@Priya says fpt is
/// only for one year - is that right?".
static REPORTED_BY_THE_MENTIONED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:says|said|thinks|thought|reckons|reckoned|told\s+(?:me|us)|mentioned|believes|reckon|swears|claims)\b")
        .expect("reported-by regex is valid")
});

/// Why a chat message that greets everyone and asks nothing is ignored
/// ([`Addressee::GreetedRoom`]): "Dear all, reminder that grand round is cancelled". The
/// triage reads such a message after all when it names the base's subject: a complaint to the
/// room about it ("Hi everyone, the FPT forms link has been broken for weeks") needs a person.
pub const GREETED_ROOM_NOTICE: &str =
    "a notice to everyone in the channel (\"Dear all\", \"morning all\"), asking nothing";

/// A chat message that opens by greeting everyone ("Dear all,", "morning all!!", "hi
/// everyone -"): said to the room as an "@all" is. Not "hi team", which may be the FPT team.
static GREETS_THE_ROOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:hi|hey|hiya|hello|dear|morning|good\s+morning|afternoon|good\s+afternoon|evening|good\s+evening)\s+(?:all|everyone|everybody|folks|guys|y['’]?all)\b[\s!,.:;-]*")
        .expect("greets-the-room regex is valid")
});

/// Whom a chat message calls on by its opening mention ([`addressee`]).
#[derive(Debug, PartialEq, Eq)]
enum Addressee<'a> {
    /// One colleague, and nothing after turns the message to the desk.
    Colleague,
    /// Everyone in the channel; what follows the mention.
    Room(&'a str),
    /// Everyone in the channel, greeted without a mention ("Dear all,"); what follows.
    GreetedRoom(&'a str),
}

/// Whom `body` calls on when it opens with a mention ([`OPENS_WITH_A_MENTION`]): a colleague
/// ("@Priya are you still ok to swap the thursday on-call with me?", "@Raj did you ever get
/// the fpt handbook link off your ES? send it over"), unless the name is the help desk's
/// ([`DESK_NAME`]) or something after turns the message to the desk ([`TURNS_TO_THE_DESK`]);
/// or the whole room ([`ROOM_NAME`]: "@all handover 8pm in the mess"). With no mention, a
/// greeting to everyone ([`GREETS_THE_ROOM`]: "Dear all, reminder that grand round is
/// cancelled") is said to the room, and a first name asked to do something
/// ([`crate::text::clean::after_vocative_name`]: "Jen can you send me the rota") is a
/// colleague. `None` when it calls on no one in particular or on the desk. A colleague asked
/// is theirs to answer: a reply from the team would cut in, which is not what a person in the
/// room expects of a bot.
fn addressee(body: &str) -> Option<Addressee<'_>> {
    let Some(caps) = OPENS_WITH_A_MENTION.captures(body) else {
        if let Some(greeting) = GREETS_THE_ROOM.find(body) {
            return Some(Addressee::GreetedRoom(&body[greeting.end()..]));
        }
        // a first name asked to do something: "Jen can you send me the link for the teaching
        // rota pls", "Sam, could u swap Thursday?"
        return crate::text::clean::after_vocative_name(body)
            .filter(|_| {
                !TURNS_TO_THE_DESK.is_match(body) && !crate::text::clean::calls_on_the_desk(body)
            })
            .map(|_| Addressee::Colleague);
    };
    let rest = &body[caps.get(0).map_or(0, |m| m.end())..];
    match caps.name("name").map(|n| n.as_str()) {
        Some(name) if DESK_NAME.is_match(name) => None,
        Some(name) if ROOM_NAME.is_match(name) => Some(Addressee::Room(rest)),
        _ if TURNS_TO_THE_DESK.is_match(rest)
            || REPORTED_BY_THE_MENTIONED.is_match(rest)
            || crate::text::clean::calls_on_the_desk(rest) =>
        {
            None
        }
        _ => Some(Addressee::Colleague),
    }
}

/// A quoted line in a chat message: "> mo: where are the fpt forms?".
static QUOTED_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[^\S\n]*>").expect("quoted-line regex is valid"));

/// Whether a chat message's words ask anything: a question mark, a clause that opens as a
/// question does, or a wish or request ([`ASKS`]). A notice to the room that does none of
/// these ("@here teaching moved to 2pm, seminar room 3") needs no answer.
fn asks_anything(text: &str) -> bool {
    text.contains('?')
        || a_clause_opens_a_question(text)
        || ASKS.is_match(text)
        || crate::text::clean::asks_unmarked(text)
}

/// A need still open ("I will need the form for my ES meeting"): a person must read it.
static STILL_NEEDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:need|needs|want|wants|require|requires|must|have\s+to|has\s+to|haven['’]?t|hasn['’]?t|not\s+(?:yet\s+)?received|still)\b")
        .expect("still needs regex is valid")
});

/// Trouble, or a request, said without a question, beyond an open need ([`STILL_NEEDS`]): "I'd
/// be grateful", "grateful if …" (not thanks: "I am grateful for your reply"), "we need advice", "also …", something cancelled, stopped, refused or no
/// longer possible, a wish to leave. (Not "broken", "anyway" or a negated "didn't"/"isn't":
/// the labelled chat between colleagues is full of them, "haha the coffee machine is broken
/// again", "ta anyway", "didn't realise it was a whole day".)
static TROUBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:grateful\s+(?:if|to\s+(?:know|hear|have|receive|get))|be\s+(?:[a-z]+\s+)?grateful|advice|advise|confirm\w*|also|cancel+ed|cancel+ing|stopped|stop\w*|withdraw\w*|leav(?:e|ing)|quit\w*|complain\w*|problem|issue|wrong|can['’]?t|cannot|won['’]?t|refus\w*|no\s+longer|unable|urgent|asap|livid|fed\s+up|pulled|lost|losing|i['’]d\s+like|would\s+like)\b")
        .expect("trouble regex is valid")
});

/// Whether `text` states a need, a request or trouble ([`STILL_NEEDS`], [`TROUBLE`]): small
/// talk, banter, thanks, a note that the desk is copied in, or a colleague's remark that holds
/// one goes to a person ("on my way. my protected day has been cancelled 3 weeks running",
/// "thanks! also my portfolio day got cancelled again", "Copying the FPT team for info … we
/// need advice on how to proceed").
pub(crate) fn needs_or_troubled(text: &str) -> bool {
    STILL_NEEDS.is_match(text) || TROUBLE.is_match(text)
}

/// The desk copied in on colleagues' mail for information: "cc FPT mailbox for info",
/// "(cc'ing the FPT inbox just to say thanks for the help earlier)", "Copying in the FPT team
/// so you are aware".
static COPIED_FOR_INFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:cc(?:['’]?ing|['’]?d|ed)?|copying|copied|copy(?:ing)?)\s+(?:in\s+)?(?:the\s+)?(?:fpt\s+)?(?:mailbox|inbox|team|admin\s+team|desk)(?:\s+in)?\b[^.?!\n]{0,30}?\b(?:for\s+(?:info|information|visibility|awareness|reference)|fyi|so\s+(?:you|they)\s+(?:are\s+aware|know|have\s+it)|to\s+keep\s+you\s+in\s+the\s+loop|(?:just\s+)?to\s+say\s+thanks?)\b")
        .expect("copied-for-info regex is valid")
});

/// A thanks or a receipt followed only by what the sender will do next: "Thanks, I'll read
/// the handbook tonight and talk to my supervisor.", "Received, will take a look at the
/// weekend.", "brill, will have a look at the handbook tonight ta x", "ok ty will check
/// the handbook later x", "no worries, I'll check the handbook
/// myself, cheers", "Just confirming I've got the forms
/// now - will fill them in before Friday's meeting", and chat's "brb ward round, will catch
/// up on this thread later". Matched on the whole of the sender's words, with no question in
/// them.
static THANKS_AND_NEXT_STEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^(?:(?:ok(?:ay)?|oh|ah|right|cool|great|perfect|lovely)[,.!\s]+)?(?:(?:many\s+)?thanks|thank\s+you|thankyou|thx|ty|tysm|ta|cheers|great|perfect|brilliant|brill|fab|fabulous|amazing|awesome|excellent|fantastic|wonderful|super|ace|nice\s+one|lovely|received|got\s+it|noted|ok(?:ay)?|cool|no\s+worries|no\s+problem|np|fair\s+enough|all\s+good|understood|brb|gtg|g2g|afk|(?:just\s+)?(?:confirming|to\s+confirm)\s+(?:that\s+)?(?:i|we)\s*(?:['’]ve|\s+have)\s+(?:now\s+)?(?:got|received|found))\b[^.?!]{0,60}?[,.!:;\s-]+(?:(?:i|we)\s*['’]ll|(?:i|we)\s+will|will|(?:i|we)\s*['’]m\s+going\s+to|(?:i|we)\s+shall)\s+[^?]*$")
        .expect("thanks and next step regex is valid")
});

/// Unsolicited marketing or phishing: two or more of [`SPAM_SIGNS`] in the subject and body
/// together (one alone is read as a person: "I tried to click the link below …").
fn spam_reason(subject: &str, body: &str) -> Option<String> {
    // A message that asks a question is far more often a person asking about what they were
    // sent ("a journal offers fast-track review and a call for papers: is this legit?", "can
    // I work from home to make up my FPT day? I do locums at £60 per hour") than a pitch:
    // it takes three signs.
    let needed = if subject.contains('?') || body.contains('?') {
        3
    } else {
        2
    };
    (signs_in(&SPAM_SIGNS, subject, body, needed) >= needed)
        .then(|| "unsolicited marketing or phishing (two or more of spam's calls to action)".into())
}

/// Loop guard: mail from one of our own addresses (`is_own` says which) is never an enquiry.
/// Our own acknowledgement or answer delivered back to the mailbox, or a message sent from
/// it, would otherwise be answered or routed to a lead, and then again. Email only: a chat
/// user id is never one of our mail addresses.
pub fn own_address_reason(enquiry: &Enquiry, is_own: impl Fn(&str) -> bool) -> Option<String> {
    (enquiry.channel() == Channel::Email
        && !enquiry.from.trim().is_empty()
        && is_own(&enquiry.from))
    .then(|| {
        format!(
            "sent from our own address {} (loop guard: we never answer ourselves)",
            enquiry.from.trim()
        )
    })
}

/// The email-only rules: robot senders, automatic subjects, receipts, recalls, invitations,
/// service notices and out-of-office bodies.
fn email_reason(enquiry: &Enquiry, cleaned_text: &str) -> Option<String> {
    if ROBOT_SENDER.is_match(&enquiry.from) {
        return Some(format!("sent by a robot address ({})", enquiry.from));
    }
    let subject = enquiry.subject.as_deref().unwrap_or("").trim();
    let said = |what: &str| format!("{what} (subject \"{subject}\")");
    // A recall or a service notice asks nothing: a question mark in the sender's own words
    // ("Recall: FPT application … Can you confirm you have updated it?", "Your mailbox is full
    // - I can't send my form. Can you clear it?") is a person's.
    let person_asks = cleaned_text.contains('?');
    // whether the sender's words ask ([`ASKS`]): scanned once, when first needed
    let asks = std::cell::LazyCell::new(|| ASKS.is_match(cleaned_text));
    // the subject after its "Re:", "AW:", "FW:" … prefixes
    let bare = crate::text::subject::strip_prefixes(subject);
    let automatic = if AUTO_REPLY_SUBJECT.is_match(bare) {
        Some("automatic reply")
    } else if BOUNCE_SUBJECT.is_match(bare) {
        Some("bounce")
    } else if RECEIPT_SUBJECT.is_match(bare) {
        Some("read or delivery receipt")
    } else {
        None
    };
    if let Some(what) = automatic {
        // "RE: Automatic reply: FPT newsletter", "FW: Undeliverable: my form" with a question
        // above the quote, or in words of their own of some length: a person answering or
        // passing on an automatic message, and asking
        let person_passes_on = person_asks
            && (crate::text::subject::is_reply(subject)
                || crate::text::subject::is_forward(subject))
            && (cleaned_text.split_words().count() >= 12
                || crate::text::clean_message(&enquiry.body).quoted);
        if !person_passes_on {
            return Some(said(what));
        }
    }
    // the cheap test first: an enquiry asks something, and then the body is never scanned
    if !cleaned_text.contains('?') && RECEIPT_BODY.is_match(&enquiry.body) {
        return Some("read or delivery receipt (\"Your message … was read\")".into());
    }
    // (the recalled message's subject quoted in the notice is not the sender asking: "Dr S.
    // Clark would like to recall the message, "FPT in Cambridge?".")
    if (recalled_subject(enquiry).is_some() || RECALL_REPORT_SUBJECT.is_match(subject))
        && !(person_asks && QUOTED_SUBJECT.replace_all(cleaned_text, "").contains('?'))
    {
        return Some(said("Outlook recall message"));
    }
    let calendar_part = enquiry.attachments.iter().any(|a| {
        a.content_type.eq_ignore_ascii_case("text/calendar")
            || a.name.to_ascii_lowercase().ends_with(".ics")
    });
    if calendar_part {
        return Some("calendar invitation or response (text/calendar part)".into());
    }
    if CALENDAR_SUBJECT.is_match(bare) && !subject.contains('?') {
        return Some(said("calendar response"));
    }
    if !*asks && MEETING_BODY.is_match(&enquiry.body) {
        return Some("meeting invitation or reminder (Teams, Zoom or other online meeting)".into());
    }
    if !*asks && ORDER_CONFIRMATION.is_match(&enquiry.body) {
        return Some("order or ticket confirmation".into());
    }
    // a newsletter's teaser may end in "?" ("is one day a week enough?"); two footer lines
    // ("Unsubscribe | Manage preferences") say it is one even then, and so does an issue's
    // table of contents ("In this issue: How can trusts support flexible training?")
    // (the body as sent, or as read when it is HTML labelled text/plain)
    let footer_lines = BULK_FOOTER
        .find_iter(without_list_footer(&enquiry.body))
        .take(2)
        .count()
        .max(BULK_FOOTER.find_iter(cleaned_text).take(2).count());
    // (so does a list's digest of posts, or a mailing's greeting to whoever is on its list:
    // "Dear trainee, how has your FPT year gone? Tell us in our survey … You are receiving
    // this because …", the footer being the mailing's own, not a discussion list's under a
    // person's post)
    // (not a reply: someone answering a digest quotes its footer under their own question)
    let mailing = || {
        (DIGEST_SUBJECT.is_match(subject) || MAILING_GREETING.is_match(&enquiry.body))
            && BULK_FOOTER.is_match(without_list_footer(&enquiry.body))
            && !enquiry
                .subject
                .as_deref()
                .is_some_and(|s| crate::text::subject::is_reply(&s.trim().to_ascii_lowercase()))
    };
    if footer_lines > 0
        && (IN_THIS_ISSUE.is_match(&enquiry.body)
            || ((!cleaned_text.contains('?') || footer_lines >= 2) && !*asks))
    {
        return Some("bulk mail (an unsubscribe footer and nothing asked)".into());
    }
    if footer_lines > 0 && mailing() {
        return Some(
            "bulk mail (a digest or a mailing to its list, with an unsubscribe footer; its questions are put to its readers)"
                .into(),
        );
    }
    if let Some(reason) =
        spam_reason(subject, &enquiry.body).or_else(|| vendor_pitch_reason(subject, &enquiry.body))
    {
        if !CHECKS_LEGITIMACY.is_match(cleaned_text) {
            return Some(reason);
        }
    }
    if !person_asks && SERVICE_SUBJECT.is_match(subject) {
        return Some(said("service notification"));
    }
    if is_auto_acknowledgement(enquiry, cleaned_text) {
        return Some(
            "automatic acknowledgement of our mail (an organisation's \"we have your message\" reply)"
                .into(),
        );
    }
    // "FYI - for your records, no action needed.": a note that asks nothing of us
    // ("No need to reply - just wanted to let you know I've submitted my application": what
    // the sender lets us know, saying no reply is needed, asks nothing of us)
    if crate::text::clean::NO_ACTION.is_match(cleaned_text)
        && !cleaned_text.contains('?')
        && (!*asks
            || (LETTING_KNOW.is_match(cleaned_text)
                && !ASKS.is_match(&LETTING_KNOW.replace_all(cleaned_text, " "))
                && !BAD_NEWS.is_match(cleaned_text)
                && !needs_or_troubled(
                    &crate::text::clean::NO_ACTION.replace_all(cleaned_text, " "),
                )))
    {
        return Some("a note for information (it says no action or reply is needed)".into());
    }
    // "Reminder to all registrars … (cc FPT mailbox for info)": the desk copied in on mail
    // to others, with nothing asked, needed or gone wrong
    if COPIED_FOR_INFO.is_match(cleaned_text)
        && !cleaned_text.contains('?')
        && !*asks
        && !needs_or_troubled(cleaned_text)
    {
        return Some("the mailbox copied in for information, with nothing asked of us".into());
    }
    if is_out_of_office(cleaned_text) {
        return Some("out-of-office notice (the message says only that its sender is away)".into());
    }
    None
}

/// The null reverse-path `<>` (bounces and auto-responses are sent with it), with any spaces
/// or a comment: `< >`, `<> (bounce)`.
fn is_null_reverse_path(value: &str) -> bool {
    let value = value.split('(').next().unwrap_or("");
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .eq("<>".chars())
}

/// A subject quoted in a notice: "the message, "FPT in Cambridge?".", "Your recall of the
/// message “FPT in Leeds?” failed.".
static QUOTED_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["“][^"”\n]{0,300}["”]"#).expect("quoted subject regex is valid")
});

/// For an Outlook recall message ("Recall: <subject>", or the body "… would like to recall
/// the message, "<subject>"."), the subject of the recalled message.
pub fn recalled_subject(enquiry: &Enquiry) -> Option<String> {
    if enquiry.channel() != Channel::Email {
        return None;
    }
    let subject = enquiry.subject.as_deref().unwrap_or("");
    if let Some(caps) = RECALL_SUBJECT.captures(subject) {
        return caps.name("subject").map(|m| m.as_str().trim().to_string());
    }
    RECALL_BODY
        .captures(&enquiry.body)
        .and_then(|c| c.name("subject"))
        .map(|m| m.as_str().trim().trim_end_matches('.').to_string())
        .filter(|s| !s.is_empty())
}

/// A notice's pointer to help the reader can find alone, put as a question: "Have you checked
/// the FAQs on our website?", "Have you looked at our FAQ page?". Furniture of an
/// out-of-office notice like [`REDIRECT`] ("have you checked my form?" is not one).
static SELF_HELP_POINTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:have|did)\s+you\s+(?:already\s+)?(?:checked|check|looked\s+at|look\s+at|read|tried|visited|seen)\s+(?:the|our)\s+(?:[a-z]+\s+){0,2}?(?:faqs?|website|web\s*site|page|pages|guidance|handbook|intranet)\b[^?]*\?")
        .expect("self-help pointer regex is valid")
});

/// A notice's pointer to someone else ("If your query relates to the rota, please contact
/// medrota@example.org.", "For anything urgent please email my colleague …", "please contact
/// Dr Shah instead"): furniture of an out-of-office notice, which asks nothing of us. A
/// sentence asking us to contact the sender ("… please contact me") is not one.
static REDIRECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:if|for|in\s+case|in\s+the\s+meantime|meanwhile|alternatively|otherwise|please)\b[^.?!]*\b(?:contact|e-?mail|call|ring|phone|bleep|page|forward|resend|re-send|redirect|direct)\b|\b(?:contact|e-?mail|call|ring|phone)\b[^.?!]*\binstead\b")
        .expect("redirect regex is valid")
});

/// What asks the sender to be contacted: "please contact me", "email me".
static CONTACT_ME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:contact|e-?mail|call|ring|phone)\s+me\b")
        .expect("contact-me regex is valid")
});

/// True for text that only says its sender is away: an out-of-office phrase, and nothing
/// asked (no question mark, no "could you…") outside its pointers to someone else
/// ([`REDIRECT`]) or to help the reader can find alone ([`SELF_HELP_POINTER`]).
pub fn is_out_of_office(text: &str) -> bool {
    if !OUT_OF_OFFICE_BODY.is_match(text) {
        return false;
    }
    // sentences end at ".", "!", "?" or a line's end; an address's dots split one harmlessly
    text.split_inclusive(['.', '!', '?', '\n'])
        .filter(|sentence| {
            !(REDIRECT.is_match(sentence) || SELF_HELP_POINTER.is_match(sentence))
                || CONTACT_ME.is_match(sentence)
        })
        .all(|sentence| {
            !sentence.contains('?') && !ASKS.is_match(sentence) && !CONTACT_ME.is_match(sentence)
        })
}

/// Thanks in another language, opening a short message that asks nothing: "Merci beaucoup
/// pour votre réponse rapide !", "Vielen Dank für die schnelle Antwort.", "Dziękuję bardzo
/// za pomoc!", "¡Muchas gracias por la información!", "Hartelijk dank voor uw snelle reactie".
static THANKS_ELSEWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:merci|danke|vielen\s+dank|herzlichen\s+dank|besten\s+dank|(?:hartelijk\s+)?dank\s+(?:je|u)(?:\s+wel)?|hartelijk\s+dank|bedankt|(?:muchas\s+)?gracias|grazie|(?:muito\s+)?obrigad[oa]|dzi[eę]kuj[eę]|tack|takk|tak|kiitos|diolch|spasibo|спасибо|te(?:ş|s)ekk(?:ü|u)rler|te(?:ş|s)ekk(?:ü|u)r\s+ederim|mul[tț]umesc|děkuji|dekuji|köszönöm|koszonom|ευχαριστώ|shukran|شكرا|谢谢|ありがとう)\b")
        .expect("thanks-elsewhere regex is valid")
});

/// Whether `text` is a short thanks in another language ([`THANKS_ELSEWHERE`]) asking nothing.
fn is_thanks_in_another_language(text: &str) -> bool {
    THANKS_ELSEWHERE.is_match(text)
        && !text.contains('?')
        && text.split_words().count() <= MAX_SMALL_TALK_WORDS
}

/// Whether `body` opens (after a greeting of at most three words) with thanks in another
/// language ([`THANKS_ELSEWHERE`]) that its cleaning took away as a thanks line, and what is
/// left asks nothing and is short: "Vielen Dank für die schnelle Antwort! Das hilft mir sehr."
fn opens_with_thanks_elsewhere(body: &str, cleaned_text: &str) -> bool {
    let first = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .find(|l| !(l.ends_with(',') && l.split_words().count() <= 3));
    first.is_some_and(|l| THANKS_ELSEWHERE.is_match(l))
        && !cleaned_text.contains('?')
        && !ASKS.is_match(cleaned_text)
        && cleaned_text.split_words().count() <= MAX_SMALL_TALK_WORDS
        // what is left is in that language too: no English function word ("I still need…")
        && !cleaned_text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| crate::text::normalize::is_stop_word(&w.to_lowercase()))
}

/// Longest message read as small talk, in words: "Hi, that's a huge relief - thank you so much
/// for getting back to me so quickly. Have a lovely weekend!" has 20; a longer message may
/// say something new.
const MAX_SMALL_TALK_WORDS: usize = 24;

/// What asks for something although every word of it is also a word of small talk: "kindly
/// help me", "hope to hear back", "no reply to my email", "I never received them", "I have a
/// huge problem".
static ASKS_IN_SMALL_TALK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*help\W*$|\b(?:never|not|no\s+one|nobody)\s+(?:answered|replied|responded|got\s+back)\b|\breply\s+to\s+my\b|\bemail\s+me\b|\bquick\s+question\b|\bwill\s+(?:you|someone|anyone)\s+(?:reply|answer|get\s+back)\b|\bwhat\s+(?:do|should|day|time|was)\b|\bwas\s+my\s+(?:email|message|form|application|query)\b|\bis\s+it\s+all\b|\b(?:kindly|please|pls|plz)\b|\bhelp\s+(?:me|us)\b|\bneed\s+(?:help|advice)\b|\bhear\s+back\b|\bno\s+(?:reply|response|answer|email|news|word)\b|\b(?:never|not|n['’]?t)\s+(?:received|got|arrived|had|heard)\b|\b(?:a|an|my|huge|big|real|serious|massive)\s+(?:problem|issue)\b")
        .expect("asks-in-small-talk regex is valid")
});

/// An answer to a question we asked ("Yes, I do", "No thanks", "yep").
static YES_OR_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:yes|yep|yeah|no|nope)\b").expect("yes-or-no regex is valid")
});

/// Words of a call into a chat channel: "hello?", "anyone there?", "morning all?".
const CALLING_OUT: &[&str] = &[
    "hello",
    "hi",
    "hey",
    "hiya",
    "yo",
    "anyone",
    "anybody",
    "someone",
    "there",
    "morning",
    "afternoon",
    "evening",
    "all",
    "everyone",
    "team",
    "folks",
    "guys",
    "is",
    "here",
    "around",
];

/// A message that opens by asking of the scheme with an auxiliary put first: "is it 1 day a
/// week", "does fpt run in wales", "ok so is it one day a week" (every word of the first may be small talk: "nice one",
/// "have a good day").
static ASKS_OF_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:so|and|but|ok|okay|wait|oh|ah|right)\W+){0,3}(?:is|are|does|do|can|will|would|should)\s+(?:it|fpt|there)\s+\w")
        .expect("asks-of-it regex is valid")
});

/// Whether every word of `text` calls out ([`CALLING_OUT`]): a question mark there asks
/// nothing of the knowledge base.
fn only_calls_out(text: &str) -> bool {
    let mut words = 0;
    let flow = for_each_token(text, |w| {
        words += 1;
        if CALLING_OUT.contains(&w) {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    });
    words > 0 && flow.is_continue()
}

/// A chat message that says the sender is stepping away for a moment: "brb bleep going off",
/// "gtg, theatre calling", "afk grabbing a coffee ☕", "running 10 mins late to the QI
/// meeting, start without me". Chat's abbreviations for it (be right
/// back, got to go, away from keyboard, be back later/soon) open the message; what follows
/// says why, in any words. Small talk when it asks nothing (no question mark, no asking word,
/// short: [`MAX_SMALL_TALK_WORDS`]).
static STEPPING_AWAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:brb|gtg|g2g|afk|bbl|bbs|got\s+to\s+(?:go|run|dash)|gotta\s+(?:go|run|dash)|(?:(?:i['’]?m|i\s+am)\s+)?running\s+(?:\S+\s+){0,3}?late|(?:(?:i['’]?m|i\s+am)\s+)?(?:stuck|sat)\s+in\s+(?:traffic|a\s+queue)|(?:i['’]?ll\s+)?be\s+there\s+in\s+(?:\d+|a\s+(?:sec|min|minute|few))|on\s+my\s+way)\b",
    )
    .expect("stepping-away regex is valid")
});

/// Whether `text` has at most [`MAX_SMALL_TALK_WORDS`] words and none of them is `flagged`.
fn short_and_none(text: &str, flagged: impl Fn(&str) -> bool) -> bool {
    let mut words = 0;
    for_each_token(text, |w| {
        words += 1;
        if words > MAX_SMALL_TALK_WORDS || flagged(w) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .is_continue()
}

/// True for messages like "thanks!", "cheers 👍", "morning all": no word asks anything, no
/// question mark ("is it ok to have my day on the weekend?" is made of small-talk words) and
/// nothing asked in small talk's words ([`ASKS_IN_SMALL_TALK`]).
pub fn is_small_talk(text: &str) -> bool {
    if only_calls_out(text) || crate::text::clean::ASKS_AFTER_YOU.is_match(text) {
        return true;
    }
    // "is it 1 day a week": every word may be small talk ("nice one", "have a good day"),
    // but a sentence that opens as a question asks
    if text.contains('?') || ASKS_OF_IT.is_match(text) {
        return false;
    }
    // a message sent here by mistake ("oops that msg was meant for my flatmate, pls
    // disregard"), short and with no asking word
    if MISDIRECTED.is_match(text) && short_and_none(text, |w| ASKING_WORDS.contains(&w)) {
        return true;
    }
    // stepping away for a moment ("brb bleep going off"), whatever the reason given
    if STEPPING_AWAY.is_match(text)
        && short_and_none(text, |w| ASKING_WORDS.contains(&w))
        && !ASKS_IN_SMALL_TALK.is_match(text)
        && !needs_or_troubled(text)
    {
        return true;
    }
    // a greeting from where the sender is ("hello from sunny brighton 👋", "hi all from
    // the Freeman"), with nothing after it
    if GREETING_FROM.is_match(text) && short_and_none(text, |w| ASKING_WORDS.contains(&w)) {
        return true;
    }
    // thanks for something that now works ("Got it now, the link worked second time round.
    // All sorted, thanks for your help!"), whatever words say what worked, with nothing
    // asked, needed or gone wrong
    if RESOLVED.is_match(text)
        && THANKS_WORD.is_match(text)
        && short_and_none(text, |w| ASKING_WORDS.contains(&w))
        && !ASKS_IN_SMALL_TALK.is_match(text)
        && !needs_or_troubled(text)
    {
        return true;
    }
    // a question taken back ("nvm found it on the website") that asks nothing new: every
    // word is small talk or says where it was found ("nvm found the handbook, still need
    // the pathway docs" asks for something)
    let withdrawn = WITHDRAWN.is_match(text)
        && short_and_none(text, |w| {
            ASKING_WORDS.contains(&w) || !(SMALL_TALK.contains(&w) || WITHDRAWN_WORDS.contains(&w))
        });
    // otherwise read word by word, stopping at the first that is not small talk (an
    // enquiry's first or second word) or past the longest small talk
    let only_small_talk = withdrawn || {
        let mut words = 0;
        for_each_token(text, |w| {
            words += 1;
            // emoji-only and punctuation-only messages have no words at all
            let small = is_small_talk_word(w) || w.chars().all(|c| !c.is_alphanumeric());
            if words > MAX_SMALL_TALK_WORDS || !small {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_continue()
    };
    // the regular expression last: most messages stop at their first word above
    only_small_talk && !ASKS_IN_SMALL_TALK.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `may_hold_list_footer` is false only where [`LIST_FOOTER`] finds nothing: on every
    /// body of the enquiry sets, on footers of both kinds in any case, cut short or spaced
    /// out; and no character beyond ASCII matches a letter of "google" without regard to case.
    #[test]
    fn a_body_that_may_not_hold_a_list_footer_holds_none() {
        let letters = Regex::new(r"(?i)^[gole]$").expect("valid");
        let folding: Vec<char> = ('\u{80}'..=char::MAX)
            .filter(|c| letters.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert!(
            folding.is_empty(),
            "{folding:?} fold to letters of \"google\""
        );
        let mut texts: Vec<String> = crate::text::labelled_texts(&["body"]);
        let google = "You received this message because you are subscribed to the Google Groups \"fpt\" group.";
        let list = format!("{}\nFPT-L mailing list\n", "_".repeat(24));
        for footer in [
            google.to_string(),
            google.to_uppercase(),
            google.replace(' ', "\t "),
            list,
        ] {
            for cut in 0..=footer.len() {
                if let Some(head) = footer.get(..cut) {
                    texts.push(format!("Is FPT open?\n{head}"));
                }
            }
            texts.push(format!("Hi,\n{footer}"));
        }
        let mut found = 0;
        for text in &texts {
            if !may_hold_list_footer(text) {
                assert!(LIST_FOOTER.find(text).is_none(), "{text:?}");
            } else {
                found += usize::from(LIST_FOOTER.find(text).is_some());
            }
        }
        assert!(found >= 4, "{found}");
    }

    fn email_with(header: (&str, &str), subject: &str) -> Enquiry {
        let mut e = Enquiry::email(
            "someone@example.org",
            subject,
            "I am away until Monday. How long is FPT?",
        );
        e.headers.push(header.0, header.1);
        e
    }

    #[test]
    fn closing_a_conversation_is_small_talk_and_a_question_is_not() {
        assert!(is_small_talk("perfect, that's sorted it. cheers"));
        assert!(is_small_talk("ah that answers my question, thx"));
        assert!(is_small_talk(
            "Perfect, got them all now. Thanks again for your help!"
        ));
        assert!(is_small_talk("Great, all clear now. Appreciate the help."));
        assert!(is_small_talk(
            "That's a huge relief - thank you so much for getting back to me so quickly. Have a lovely weekend!"
        ));
        assert!(is_small_talk("Glad to hear it, best wishes"));
        assert!(is_small_talk("testing testing 123"));
        assert!(is_small_talk(
            "haha fair enough, cheers for the help earlier"
        ));
        assert!(is_small_talk("omg cheers 🙏🙏"));
        assert!(is_small_talk("lol fair enough. anyway thanks for the help"));
        // thanks for what now works, in any words
        assert!(is_small_talk(
            "Got it now, the link worked second time round. All sorted, thanks for your help!"
        ));
        assert!(is_small_talk(
            "managed to download it on my home laptop in the end, cheers"
        ));
        assert!(!is_small_talk(
            "the link worked, thanks, but I still can't find the supervisor forms"
        ));
        assert!(!is_small_talk(
            "found it, thanks. and how long is the pathway"
        ));
        assert!(!is_small_talk("not fair, my fpt day got cancelled again"));
        assert!(is_small_talk(
            "Just wanted to say thanks for the quick reply earlier - very helpful."
        ));
        assert!(is_small_talk(
            "Brilliant, thank you - that's exactly what I needed to know. Have a good weekend!"
        ));
        // a remark in laughter asks nothing; a question or complaint in laughter does
        assert!(takes_back_its_question(
            "can i spend my protected day on the golf course? 😂 jk jk"
        ));
        assert!(takes_back_its_question(
            "is FPT just a day off? lol only joking"
        ));
        assert!(!takes_back_its_question(
            "can i golf on my fpt day? jk but seriously what can i spend it on?"
        ));
        assert!(!takes_back_its_question("what are the pathways? thanks"));
        assert!(takes_back_its_question(
            "is FPT just a day off lol just kidding"
        ));
        assert!(takes_back_its_question(
            "so FPT is basically a 4 day week right jk"
        ));
        assert!(!takes_back_its_question("jk"));
        assert!(!takes_back_its_question("what are the pathways"));
        assert!(!takes_back_its_question(
            "what are the pathways. can I golf on it? jk"
        ));
        assert!(is_banter("lol same"));
        assert!(is_banter(
            "lol our consultant calls it 'flexi friday' even though mine's on a tuesday 😂"
        ));
        assert!(!is_banter("what does FPT stand for lol"));
        assert!(!is_banter(
            "lol my fpt day got cancelled again, who do i moan to"
        ));
        assert!(!is_banter(
            "does fpt help with burnout or is that just marketing lol"
        ));
        assert!(!is_banter("our consultant calls it flexi friday"));
        assert!(is_banter("haha ur quicker at replying than my ES ever is"));
        assert!(is_banter(
            "haha my consultant is going to be thrilled when i tell him i'm off the ward"
        ));
        assert!(!is_banter("lol pls tell me what fpt is"));
        assert!(!is_banter("ok but what is fpt lol"));
        assert!(!is_banter("haha is it paid"));
        assert!(!is_banter("lol, can i do locums on my fpt day"));
        assert!(is_small_talk(
            "Perfect, thank you so much - that's cleared it up. Have a lovely weekend!"
        ));
        assert!(is_small_talk("hello?"));
        assert!(is_small_talk("anyone there?"));
        assert!(!is_small_talk("I hope you can tell me how long FPT lasts"));
        assert!(!is_small_talk("test: is FPT still running?"));
        // sent here by mistake and taken back; abbreviated thanks
        assert!(is_small_talk(
            "oops that msg was meant for my flatmate, pls disregard"
        ));
        assert!(is_small_talk("sorry wrong chat"));
        assert!(is_small_talk("hello from sunny brighton 👋"));
        assert!(is_small_talk("hi all from the Freeman!"));
        assert!(!is_small_talk("hello from brighton, is fpt one day a week"));
        assert!(!is_small_talk(
            "hello from brighton - what are the pathways"
        ));
        // stepping away, whatever the reason
        assert!(is_small_talk("brb bleep going off"));
        assert!(is_small_talk("gtg, theatre calling 🏃"));
        assert!(is_small_talk(
            "running 10 mins late to the QI meeting, start without me"
        ));
        assert!(is_small_talk("stuck in traffic, be there in 10"));
        assert!(is_small_talk("on my way, 5 mins"));
        assert!(!is_small_talk(
            "stuck in traffic - is the FPT meeting still on?"
        ));
        assert!(!is_small_talk(
            "running late, what time does the FPT meeting start?"
        ));
        assert!(!is_small_talk("brb - what's the FPT mailbox address"));
        assert!(!is_small_talk(
            "gtg but can someone tell me how long FPT lasts"
        ));
        assert!(is_small_talk("ta v much"));
        assert!(is_small_talk("brill thats all i needed, have a good wkend"));
        assert!(!is_small_talk(
            "pls disregard my last msg, what i meant was how long is fpt"
        ));
        assert!(!is_small_talk(
            "my supervisor said to ignore the handbook, is that right"
        ));
        for text in ["my email was never answered", "help", "hi quick question"] {
            assert!(!is_small_talk(text), "{text}");
        }
        // made of small talk's words, yet asking
        for text in [
            "Hi, is it ok to take my day on the weekend? Kind regards",
            "Kindly reply to my email.",
            "Hi, no I never received them. Best wishes",
            "Hi, I hope to hear back. Kind regards",
            "I have a huge problem",
            "help me",
        ] {
            assert!(!is_small_talk(text), "{text}");
        }
        assert!(!is_small_talk("it's not clear to me how long FPT lasts"));
        assert!(!is_small_talk("perfect, is FPT one day a week?"));
        assert!(!is_small_talk("is it 1 day a week"));
        for pleasantry in [
            "how are you?",
            "hi, how r u",
            "how's it going all",
            "hope you're well!",
        ] {
            assert!(is_small_talk(pleasantry), "{pleasantry}");
        }
        assert!(!is_small_talk("how are you supposed to apply for fpt?"));
        assert!(!is_small_talk("is it one day a week"));
        assert!(!is_small_talk("just found the handbook, is it up to date?"));
    }

    #[test]
    fn auto_replies_and_bounces_are_ignored() {
        assert!(
            ignore_reason(&email_with(("Auto-Submitted", "auto-replied"), "FPT"), "x").is_some()
        );
        assert!(ignore_reason(&email_with(("X-Autoreply", "yes"), "FPT"), "x").is_some());
        assert!(ignore_reason(
            &email_with(
                (
                    "Content-Type",
                    "multipart/report; report-type=delivery-status"
                ),
                "x"
            ),
            "x"
        )
        .is_some());
        assert!(ignore_reason(
            &email_with(("X-Other", "1"), "Out of Office: back Monday"),
            "x"
        )
        .is_some());
        assert!(ignore_reason(
            &email_with(("X-Other", "1"), "Undeliverable: FPT question"),
            "x"
        )
        .is_some());
        let mut bounce = Enquiry::email("MAILER-DAEMON@mx.example.org", "failure", "x");
        bounce.body = "could not deliver".into();
        assert!(ignore_reason(&bounce, "could not deliver").is_some());
    }

    #[test]
    fn mail_from_our_own_address_is_ignored_as_a_loop_guard_and_chat_is_not() {
        let ours = |a: &str| a.trim().eq_ignore_ascii_case("fpt@example.org");
        let e = Enquiry::email("FPT@example.org", "FPT", "How long is FPT?");
        let reason = own_address_reason(&e, ours);
        assert!(
            reason.as_deref().is_some_and(|r| r.contains("loop guard")),
            "{reason:?}"
        );
        let person = Enquiry::email("a@example.org", "FPT", "How long is FPT?");
        assert_eq!(own_address_reason(&person, ours), None);
        // a Discord user id that happens to read like our address is still a person
        let chat = Enquiry::chat("fpt@example.org", "How long is FPT?");
        assert_eq!(own_address_reason(&chat, ours), None);
    }

    #[test]
    fn a_null_return_path_is_automatic_and_an_address_is_not() {
        for value in ["<>", " <> ", "< >", "<> (bounce)"] {
            let reason = ignore_reason(&email_with(("Return-Path", value), "FPT"), "x");
            assert!(
                reason.as_deref().is_some_and(|r| r.contains("Return-Path")),
                "{value}: {reason:?}"
            );
        }
        let e = email_with(("Return-Path", "<a@example.org>"), "How long is FPT?");
        assert_eq!(ignore_reason(&e, "How long is FPT?"), None);
    }

    #[test]
    fn a_persons_enquiry_under_no_auto_reply_fields_is_read_and_robots_are_not() {
        // a person's client marking their mail bulk, or their post to a list we are copied on
        let text =
            "Which four pathways does FPT cover? I'm trying to decide between QI and research.";
        for header in [
            ("Precedence", "bulk"),
            ("Precedence", "list"),
            ("List-Id", "<med-regs.example.org>"),
        ] {
            let mut e = Enquiry::email("kate@example.org", "FPT pathways", text);
            e.headers.push(header.0, header.1);
            assert_eq!(ignore_reason(&e, text), None, "{header:?}");
            assert!(no_automatic_reply(&e).is_some(), "{header:?}");
        }
        // a web form's relay: the robot in From, the person in Reply-To (who `from` is)
        let form = "Name: Ayesha\nEnquiry: How many days per week does FPT protect?";
        let mut e = Enquiry::email("ayesha@example.org", "Website enquiry", form);
        e.headers.push("From", "Web form <no-reply@example.org>");
        e.headers.push("Reply-To", "ayesha@example.org");
        e.headers.push("Auto-Submitted", "auto-generated");
        assert_eq!(ignore_reason(&e, form), None);
        assert_eq!(
            no_automatic_reply(&e).map(|m| m.ack_left_out()),
            Some(
                "no acknowledgement: the mail asks for no automatic reply (Auto-Submitted: \
                 auto-generated, RFC 3834 §2)"
                    .to_string()
            )
        );
        // without a person to answer, a question mark does not make a robot a person
        let notice = "Kim added you to the FPT team. What is Teams? Teams is where people meet.";
        let mut e = Enquiry::email("teams@example.org", "Added to a team", notice);
        e.headers.push("From", "Teams <teams@example.org>");
        e.headers.push("Auto-Submitted", "auto-generated");
        assert!(ignore_reason(&e, notice).is_some());
        // a list's digest, a newsletter in the second person, a long mailing: still ignored
        let digest = "Does anyone know if FPT is one day a week? I'm asking for a friend.";
        let mut e = Enquiry::email("kate@example.org", "MEDREGS Digest - 11 Nov", digest);
        e.headers.push("List-Id", "<medregs.example.org>");
        assert!(ignore_reason(&e, digest).is_some());
        let teaser =
            "Is one day a week enough for your development? Read more: https://example.org/f";
        let mut e = Enquiry::email("news@example.org", "November news", teaser);
        e.headers.push("Precedence", "bulk");
        assert!(ignore_reason(&e, teaser).is_some());
        // an event's mailing asking the reader a question, with no link: its call to action
        // says what it is
        let event = "Are you on a quality improvement pathway? Submit your abstract by March \
                     and save 30% with early bird registration. Book at the conference website.";
        let mut e = Enquiry::email("events@example.org", "National QI conference", event);
        e.headers.push("Precedence", "bulk");
        assert!(ignore_reason(&e, event).is_some());
        let long = format!(
            "I wonder how long FPT is? {}",
            "More news for you. ".repeat(90)
        );
        let mut e = Enquiry::email("news@example.org", "November news", &long);
        e.headers.push("List-Id", "<news.example.org>");
        assert!(ignore_reason(&e, &long).is_some());
        // an auto-reply stays one whatever it says
        let mut e = Enquiry::email("kate@example.org", "FPT", text);
        e.headers.push("Auto-Submitted", "auto-replied");
        assert!(ignore_reason(&e, text).is_some());
    }

    #[test]
    fn thanks_after_a_follow_up_lead_in_needs_no_answer() {
        let text = "Follow-up to the below: thanks!";
        let e = Enquiry::email("n@example.org", "Re: FPT pathways", text);
        assert!(ignore_reason(&e, text).is_some());
        let text = "Follow-up to the below: any news?";
        let e = Enquiry::email("n@example.org", "Re: FPT pathways", text);
        assert!(ignore_reason(&e, text).is_none());
    }

    #[test]
    fn colleagues_arranging_travel_need_no_answer() {
        let text = "morning all - anyone else going to regional teaching tomorrow? happy to car share, leaving about 7:30";
        assert!(ignore_reason(&Enquiry::chat("dan", text), text).is_some());
        // a question to the team beside it still asks, and so does a need
        for text in [
            "anyone else going to the FPT info evening? is it one day a week?",
            "happy to car share to the away day, but honestly no idea who to ask about FPT expenses",
        ] {
            assert!(ignore_reason(&Enquiry::chat("dan", text), text).is_none(), "{text}");
        }
    }

    #[test]
    fn praise_with_nothing_asked_needs_no_answer() {
        // a question that exclaims, beside thanks
        let body = "Who knew FPT had so many options? Thanks for the brilliant talk at the regional training day yesterday.";
        let mail = Enquiry::email("dr@example.org", "Thank you!", body);
        assert!(ignore_reason(&mail, body).is_some(), "{body}");
        let text = "who knew QI could be this much fun?! loving my fpt day";
        assert!(
            ignore_reason(&Enquiry::chat("u", text), text).is_some(),
            "{text}"
        );
        let body = "Who knew FPT had so many options? Which one suits a cardiology registrar?";
        let mail = Enquiry::email("dr@example.org", "Thank you!", body);
        assert_eq!(ignore_reason(&mail, body), None, "{body}");
        let praise = "Just wanted to say the FPT information evening last week was brilliant \
                      - really well organised. Well done to everyone involved!";
        let e = Enquiry::email("a@example.org", "Thank you", praise);
        assert!(ignore_reason(&e, praise).is_some());
        for text in [
            "you lot are great honestly, fpt is the best thing about my training",
            "Hope you all had a lovely Christmas and a restful break. Looking forward to \
             seeing everyone at the away day in February.",
            "Just a quick note to say thank you for your help getting my trainee set up on \
             FPT. She's thriving on the QI pathway. Much appreciated, Jane",
        ] {
            let e = Enquiry::chat("u", text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // praise with a complaint in it, or a question, needs a person
        for text in [
            "Just wanted to say the evening was brilliant, but the slides never arrived.",
            "Well done on the evening! Will the slides be shared?",
            "Happy New Year! I am interested in the research pathway for August.",
        ] {
            let e = Enquiry::email("a@example.org", "Thank you", text);
            assert!(ignore_reason(&e, text).is_none(), "{text}");
        }
        // thanks for what is past, under a subject of good wishes; a question under such
        // a subject still asks
        let text = "Happy new year to the FPT team! Thank you for all your help this year, \
                    it's made a real difference.\n\nMarcus";
        for subject in ["Happy new year!", "Thanks", ""] {
            let e = Enquiry::email("m@example.org", subject, text);
            assert!(ignore_reason(&e, text).is_some(), "{subject}");
        }
        for (subject, text) in [
            ("Merry Christmas", "Merry Christmas to the whole FPT team, and thanks for sorting my query back in October. Have a restful break!\n\nJess"),
            ("Thank you", "Thank you so much for your reply last week, it really helped me decide. Have a lovely Easter!\n\nPriya"),
            ("Thank you and happy new year", "Just a note to say thank you - I've finished my FPT year and it was the best part of my training. Wishing you all a happy new year."),
            ("Eid Mubarak", "Eid Mubarak! Thank you for your patience with all my questions :)"),
        ] {
            let e = Enquiry::email("m@example.org", subject, text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        let text = "Thanks for sorting my query. Could you also tell me about the pathways?";
        let e = Enquiry::email("m@example.org", "Thank you", text);
        assert!(ignore_reason(&e, text).is_none());
        let text = "Happy new year! When does the next intake start?";
        let e = Enquiry::email("m@example.org", "Happy new year!", text);
        assert!(ignore_reason(&e, text).is_none());
        let e = Enquiry::email("m@example.org", "Happy new year - FPT posts in Leeds?", "");
        assert!(ignore_reason(&e, "").is_none());
        // in chat, thanks before a question asked without a question mark
        let text = "thanks. and is fpt run the same way in every region or does it vary";
        assert!(ignore_reason(&Enquiry::chat("u", text), text).is_none());
    }

    #[test]
    fn thanks_for_an_event_a_thanks_reply_and_a_withdrawn_question_need_no_answer() {
        // enjoyment and good wishes under a subject that thanks
        let text = "Just wanted to say how much I enjoyed the trainee away day last week - so \
                    nice to meet people in person. Have a lovely weekend!";
        let e = Enquiry::email("a@example.org", "Thanks for the away day", text);
        assert!(ignore_reason(&e, text).is_some(), "{text}");
        // a reply that thanks and remarks, asking nothing
        let text = "Thank you, that clears it up. I had thought it was only for researchers so \
                    I am pleased teaching counts. I will talk to my supervisor on Monday.";
        let e = Enquiry::email("a@example.org", "Re: Is it only research?", text);
        assert!(ignore_reason(&e, text).is_some(), "{text}");
        // the same remarks as a new mail, or with a question, need a person
        let e = Enquiry::email("a@example.org", "Research only?", text);
        assert!(ignore_reason(&e, text).is_none(), "{text}");
        // praise of the reply before the thanks
        let text = "That's really helpful, thank you so much - it's answered everything I \
                    needed.\n\nSophie";
        let e = Enquiry::email("a@example.org", "Re: How long is FPT for?", text);
        assert!(ignore_reason(&e, text).is_some(), "{text}");
        let asks = "Thank you, that clears it up. Does teaching count too?";
        let e = Enquiry::email("a@example.org", "Re: Is it only research?", asks);
        assert!(ignore_reason(&e, asks).is_none(), "{asks}");
        // a question taken back
        let text = "found the form in the end - ignore my earlier email! thanks";
        let e = Enquiry::email("a@example.org", "form - found it", text);
        assert!(ignore_reason(&e, text).is_some(), "{text}");
        let text = "found the form in the end, but where do I send it";
        let e = Enquiry::email("a@example.org", "form - found it", text);
        assert!(ignore_reason(&e, text).is_none(), "{text}");
    }

    #[test]
    fn formal_thanks_in_a_reply_need_no_answer() {
        for text in [
            "Noted with thanks.",
            "I am highly obliged for your kind and prompt reply. The information provided is \
             very much useful for me. Thanking you once again.",
            "I'm very grateful for your help, it has answered everything.",
        ] {
            let e = Enquiry::email("a@example.org", "Re: FPT query", text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // a request in the same words needs a person
        let text = "I would be grateful if you could send the handbook again.";
        let e = Enquiry::email("a@example.org", "Re: FPT query", text);
        assert!(ignore_reason(&e, text).is_none(), "{text}");
    }

    #[test]
    fn an_answer_restated_as_understood_with_thanks_needs_no_answer() {
        for text in [
            "ah ok so it IS one day a week not two. thanks!",
            "great, so HEE runs it now not the RCP. ta",
            "great, so minimum one year then. ta",
            "turns out my reg was wrong, it's six capabilities not four. thanks all",
        ] {
            let e = Enquiry::chat("u1", text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        let text = "Thanks, that makes sense - so it wasn't that London was excluded forever, \
                    just the pilot. Good to know!";
        let e = Enquiry::email("a@example.org", "Re: FPT in London", text);
        assert!(ignore_reason(&e, text).is_some(), "{text}");
        let text = "Thanks so much - so the rumour was wrong and FPT carries on as normal. Have \
                    a good week.";
        let e = Enquiry::email("a@example.org", "Re: Question", text);
        assert!(ignore_reason(&e, text).is_some(), "{text}");
        // a question, a need or a complaint after the restatement is read
        for text in [
            "ok so is it one day a week",
            "ok so it is one day a week. how do i apply then. thanks",
            "ok so my fpt day was cancelled again, thanks for nothing",
            "great, so it runs locally. I'd like the Leeds contact please, thanks",
        ] {
            let e = Enquiry::chat("u1", text);
            assert!(ignore_reason(&e, text).is_none(), "{text}");
        }
        // nor is a new mail (not a reply) restating what it has heard
        let text = "ok so FPT is one day a week, thanks";
        let e = Enquiry::email("a@example.org", "FPT", text);
        assert!(ignore_reason(&e, text).is_none(), "{text}");
    }

    #[test]
    fn questions_taken_back_or_cleared_up_in_other_words_need_no_answer() {
        for (subject, text) in [
            (
                "Re: minimum time on FPT",
                "No need to reply to my question about the minimum time on the scheme; my \
                 supervisor explained it.",
            ),
            ("Re: FPT", "ignore my last msg, sorted it with my TPD"),
            ("Re: FPT", "Scratch that last email, I found the handbook."),
            (
                "Re: who runs FPT",
                "Thanks, that's cleared up the question about who runs it now.",
            ),
            (
                "Re: FPT",
                "I understand now that it's 20% time. Much appreciated.",
            ),
            (
                "Re: prior experience",
                "My previous email asked whether prior QI experience is needed. I've since \
                 read that the pathways accommodate a wide range of prior experience, so \
                 that's answered. Thanks!",
            ),
            ("Re: FPT", "scratch that, found it in the handbook"),
            (
                "Re: FPT",
                "Please disregard the previous email, it was sent to the wrong recipient.",
            ),
            (
                "Re: FPT",
                "Forget what I said about Leeds, my TPD has sorted everything. Thanks",
            ),
            (
                "Re: FPT",
                "My doubt is solved now. No further action required. Thank you.",
            ),
            (
                "Re: Query",
                "Kindly note that I had sent a query last week regarding FPT. Now my doubt is \
                 solved by my educational supervisor, hence no further action is required \
                 from your end.",
            ),
            (
                "Re: FPT information",
                "This is to inform you that I have got my answer from the handbook itself. \
                 Thank you for the same.",
            ),
            (
                "Please close",
                "My colleague already answered my question about eligibility, so please close \
                 this ticket.",
            ),
            (
                "Re: Only research?",
                "Thanks, that cleared it up - turns out the rumour was wrong. Much appreciated!",
            ),
            (
                "Re: FPT",
                "Great, so my consultant was mistaken. Thanks for the quick reply",
            ),
        ] {
            let e = Enquiry::email("a@example.org", subject, text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // taken back, then asked afresh
        for text in [
            "scratch that, whats the minimum time on fpt",
            "Scratch that last email - how long does the pathway last?",
            "No need to reply to my earlier email, but I would like to know who my regional lead is.",
            "Thanks, that's cleared up the question about who runs it. Does teaching count too?",
            "Thanks, so the rumour was wrong. Please confirm the closing date for me.",
        ] {
            let e = Enquiry::email("a@example.org", "Re: FPT", text);
            assert!(ignore_reason(&e, text).is_none(), "{text}");
        }
    }

    #[test]
    fn out_of_office_notices_that_point_elsewhere_need_no_answer() {
        for (subject, text) in [
            (
                "Re: FPT query",
                "Thank you for your email. I am currently on annual leave, returning on 3rd \
                 May. I will respond to your message on my return. If your query is about \
                 the on-call rota, please contact rota@example.org.",
            ),
            (
                "Out of Office Re: FPT pathways",
                "I'm on nights this week and not checking email. For anything urgent please \
                 contact Dr Patel instead. I'll reply when I'm back on Monday.",
            ),
            (
                "Away",
                "Hi, I'm at a conference until 3rd April with patchy access to email. If your \
                 message is about the FPT QI project, please contact Dr Lowe in the meantime.",
            ),
            (
                "Re: Out of office",
                "Thanks for your email. Have you checked the FAQs on our website? I am away \
                 until Monday and will reply on my return.",
            ),
        ] {
            let e = Enquiry::email("a@example.org", subject, text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // a person away who asks something, or asks to be contacted, needs a person
        for text in [
            "I am on annual leave until Monday. Could you tell me whether FPT runs in Leeds?",
            "I am on annual leave this week. If there is an FPT post in Leeds, please contact me.",
            "I am away until Monday. Have you checked my application form yet?",
        ] {
            let e = Enquiry::email("a@example.org", "FPT", text);
            assert!(ignore_reason(&e, text).is_none(), "{text}");
        }
    }

    #[test]
    fn notes_for_information_thanks_in_other_languages_and_bulletins_need_no_answer() {
        for text in [
            "FYI - for your records, no action needed.",
            "No need to reply, just letting you know I've submitted my form.",
            "No need to reply - just wanted to let you know I've submitted my HST application and ranked the FPT posts first. Thanks for all your help over the last few months!",
            "No need to reply, just wanted to let you know our QI project won the poster prize.",
            "Merci beaucoup, very clear.",
            "Vielen Dank!",
            "Diolch yn fawr",
            "Merci beaucoup pour votre réponse rapide !",
            "Vielen Dank für die schnelle Antwort.",
            "Dziękuję bardzo za pomoc!",
            "¡Muchas gracias por la información!",
            "Hartelijk dank voor uw snelle reactie!",
            "Muito obrigada pela ajuda!",
            // the desk copied in on colleagues' mail for information
            "Hi all, please put your FPT day in the shared rota by Friday. (cc FPT mailbox for info)",
            "Good luck with your application, let me know how you get on! (cc'ing the FPT inbox just to say thanks for the help earlier)",
            "Copying in the FPT team so you are aware. The teaching session has moved to Room 4.",
        ] {
            let e = Enquiry::email("a@example.org", "Re: FPT pathways", text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // copied in, and asked something, or told of trouble, all the same (also when no
        // reply is said to be needed)
        for text in [
            "No need to reply - just wanted to let you know my supervisor has left and I now have nobody to sign off my FPT work.",
            "cc'ing the FPT inbox for info - could you confirm when applications open?",
            "Copying in the FPT team: can you tell Sam which pathways there are",
            "Copying the FPT team for info as this affects one of your trainees. Dr Khan's protected day cannot be facilitated from next month, so we need advice on how to proceed.",
            "Copying in the FPT mailbox for info. I would be grateful for confirmation that FPT is still available in London.",
        ] {
            let e = Enquiry::email("a@example.org", "Re: FPT pathways", text);
            assert_eq!(ignore_reason(&e, text), None, "{text}");
        }
        // the thanks line cleaned away, the rest in the same language
        let e = Enquiry::email(
            "a@example.org",
            "Re: Fragen zu FPT",
            "Hallo,\n\nVielen Dank für die schnelle Antwort! Das hilft mir sehr.\n\nLena",
        );
        assert!(ignore_reason(&e, "Das hilft mir sehr.").is_some());
        let e = Enquiry::email(
            "a@example.org",
            "Re: Fragen zu FPT",
            "Vielen Dank! I still need the pathway document.",
        );
        assert_eq!(
            ignore_reason(&e, "I still need the pathway document."),
            None
        );
        // other help desks' acknowledgements, by three of their phrases
        for ack in [
            "This is an automated response to confirm we have received your request. A member of the team will respond within 5 working days. Please do not reply to this email.",
            "This is an automated response. Your enquiry has been logged with ticket number INC0098231. Please do not reply to this message.",
            "Your request has been received and is being reviewed by our support staff. To add comments, reply above this line.",
        ] {
            let e = Enquiry::email("desk@example.org", "Your request", ack);
            assert!(ignore_reason(&e, ack).is_some(), "{ack}");
        }
        for text in [
            "No action needed on the form, but how long is FPT?",
            "For your records: I start in August. Can I still apply?",
        ] {
            let e = Enquiry::email("a@example.org", "FPT", text);
            assert_eq!(ignore_reason(&e, text), None, "{text}");
        }
        let bulletin = "In this issue: How can trusts support flexible training?\n\
                        HEE publishes the recruitment timeline.\nUnsubscribe from this bulletin.";
        let e = Enquiry::email("bulletins@example.org", "Workforce bulletin", bulletin);
        assert!(ignore_reason(&e, bulletin).is_some());
    }

    #[test]
    fn account_prize_and_refund_lures_are_spam() {
        for (subject, text) in [
            (
                "URGENT: your account will be suspended",
                "We detected unusual sign-in activity. Your account will be suspended within 24 hours unless you verify your password at the link below.",
            ),
            (
                "Action required: unclaimed payment",
                "Our records show you are owed a refund. To claim, verify your bank details within 24 hours using the link below.",
            ),
            (
                "Doctor survey",
                "Tell us about your locum preferences and be entered into a prize draw. Top rates for registrars!",
            ),
            (
                "Flexible portfolio - grow your savings",
                "Looking for a flexible portfolio? Grow your investment portfolio with flexible monthly contributions and no lock-in. How much could you save? Reply YES to find out more!",
            ),
        ] {
            assert!(spam_reason(subject, text).is_some(), "{text}");
        }
        for (subject, text) in [
            (
                "Unusual sign-in activity",
                "We detected unusual sign-in activity on your account. If this wasn't you, please secure your account immediately: http://example.net/secure",
            ),
            (
                "Urgent request",
                "Are you at your desk? I need you to process an urgent payment to a supplier today. I'm in meetings all day so email only.",
            ),
            (
                "Remittance advice - change of bank details",
                "Please note our bank details have changed for all future payments. Kindly confirm once you have updated your records.",
            ),
        ] {
            assert!(spam_reason(subject, text).is_some(), "{text}");
        }
        // a person whose own account was locked is a person
        let text = "My NHSmail account has been locked since Monday so I missed your email. Could you resend the handbook link?";
        assert_eq!(spam_reason("Resend", text), None);
    }

    #[test]
    fn invoice_fraud_and_website_ranking_pitches_are_spam_even_with_a_question() {
        for (subject, text) in [
            (
                "Outstanding invoice INV-20931",
                "Please find attached the overdue invoice for FPT training services. Can you process payment today?",
            ),
            (
                "Quick question about your site",
                "I noticed your website is not ranking on the first page of Google. Would you like a free SEO audit?",
            ),
        ] {
            let e = Enquiry::email("x@example.net", subject, text);
            assert!(spam_reason(subject, text).is_some(), "{text}");
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // a person asking about an invoice of their own is a person
        let text = "I've attached my invoice for the course fees - can FPT funding cover it?";
        assert_eq!(spam_reason("Course fees", text), None);
    }

    #[test]
    fn a_companys_sales_pitch_is_ignored_even_with_a_question_but_a_person_is_not() {
        for (subject, text) in [
            (
                "Partnership opportunity - QI platform for FPT trainees",
                "I'm the partnerships lead at LearnQI, an ed-tech company. Our platform helps \
                 trainees plan and write up QI projects. We'd love to offer FPT trainees a free \
                 12-month licence. Could you tell me who I should speak to about arranging this?",
            ),
            (
                "Helping FPT registrars protect their portfolio day",
                "RotaFlow locks FPT days into the rota, already used by 40+ NHS trusts. Could we \
                 book 20 minutes next week to show you how it works?",
            ),
        ] {
            let e = Enquiry::email("sales@vendor.example.com", subject, text);
            assert!(vendor_pitch_reason(subject, text).is_some(), "{text}");
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // one sign is a person: a trainee's own start-up, a course discount asked about
        for (subject, text) in [
            (
                "FPT day",
                "I'm co-founding a little health-tech startup. Can I use my FPT day on our product?",
            ),
            (
                "Course fees",
                "Is there a discount for FPT trainees on the PGCert, or a budget I can apply to?",
            ),
        ] {
            assert_eq!(vendor_pitch_reason(subject, text), None, "{text}");
            let e = Enquiry::email("trainee@nhs.example.org", subject, text);
            assert_eq!(ignore_reason(&e, text), None, "{text}");
        }
    }

    #[test]
    fn an_acknowledgement_of_our_mail_without_auto_headers_is_ignored() {
        let ack = "Thank you for contacting the Medical Education Department. This mailbox is not \
                   monitored outside office hours. We aim to respond within 5 working days.";
        let reply = Enquiry::email(
            "medical.education@trust.example.org",
            "RE: FPT [FPT-7]",
            ack,
        );
        let reason = ignore_reason(&reply, ack);
        assert!(
            reason
                .as_deref()
                .is_some_and(|r| r.contains("automatic acknowledgement")),
            "{reason:?}"
        );
        // a first message is judged by its wording only when it says three of the phrases
        let two = "Thank you for contacting the Medical Education Department. We aim to \
                   respond within 5 working days.";
        let first = Enquiry::email("medical.education@trust.example.org", "FPT", two);
        assert!(!is_auto_acknowledgement(&first, two));
        let first = Enquiry::email("medical.education@trust.example.org", "FPT", ack);
        assert!(is_auto_acknowledgement(&first, ack));
        // a person thanking us in a reply, and asking, is a person
        for text in [
            "Thank you for your email. Is FPT paid?",
            "Thanks for contacting me. We aim to start in August; can I apply now?",
        ] {
            let e = Enquiry::email("a@example.org", "Re: FPT [FPT-7]", text);
            assert!(!is_auto_acknowledgement(&e, text), "{text}");
            assert_eq!(ignore_reason(&e, text), None, "{text}");
        }
    }

    /// Every alternative of every acknowledgement sign, in lower and upper case, holds one of
    /// [`AUTO_ACK_WORDS`] (so the literal scan before the signs never hides one), and each
    /// example is that sign.
    #[test]
    fn every_acknowledgement_sign_holds_one_of_its_words() {
        let examples = [
            (0, "Thank you for contacting the Deanery"),
            (0, "thanks for getting in touch with us"),
            (0, "Thank you for your e-mail"),
            (1, "This mailbox is not monitored"),
            (1, "the box is unmonitored"),
            (1, "this address is not being monitored"),
            (2, "We aim to respond within 5 working days"),
            (
                2,
                "we will try to get back to you to enquiries within two business days",
            ),
            (3, "This is an automated response"),
            (3, "this message was automatically generated"),
            (4, "We have received your enquiry"),
            (4, "your request has been received"),
            (5, "Please do not reply to this email"),
            (6, "logged with ticket INC0098231"),
            (6, "raised as case 12"),
            (6, "registered under reference 7"),
            (6, "opened as request 99"),
            (6, "created as incident 4"),
            (6, "incident number 4471"),
            (6, "a ticket (#552310) has been created"),
            (6, "a case has been opened"),
            (6, "## Please reply above this line ##"),
            (7, "A member of the team will respond shortly"),
            (7, "it is being reviewed by our support staff"),
        ];
        for (sign, text) in examples {
            for text in [text.to_string(), text.to_uppercase()] {
                assert!(AUTO_ACK_WORD_FINDER.is_match(&text), "{text}");
                let m = AUTO_ACK_SIGNS.matching(&text);
                assert!(m.matched(sign), "sign {sign}: {text}");
                assert!(auto_ack_signs(&text, 3) >= 1, "{text}");
            }
        }
        assert_eq!(auto_ack_signs("how many capabilites per pathway", 3), 0);
        assert_eq!(AUTO_ACK_SIGNS.len(), 8);
    }

    #[test]
    fn auto_submitted_no_is_a_person() {
        let e = email_with(("Auto-Submitted", "no"), "How long is FPT?");
        assert_eq!(ignore_reason(&e, "How long is FPT?"), None);
    }

    #[test]
    fn bulk_and_list_mail_is_ignored() {
        assert!(ignore_reason(&email_with(("Precedence", "bulk"), "Digest"), "x").is_some());
        assert!(ignore_reason(
            &email_with(("List-Unsubscribe", "<mailto:x@example.org>"), "Digest"),
            "x"
        )
        .is_some());
    }

    #[test]
    fn newsletters_without_list_headers_are_ignored_by_their_footer() {
        for body in [
            "In this month's bulletin:\n* Upcoming webinars\n\nYou are receiving this email because you subscribed to our mailing list. Unsubscribe | Manage preferences",
            "Early bird rate ends Friday. Book now >>\n\nTo stop receiving these emails, click here.",
            "In this month's issue: portfolio careers. Plus: protected time - is one day a week enough?\n\nRead online | Unsubscribe | Manage preferences",
            "Looking to strengthen your portfolio? Enrol before 30 April and save 20%.\n\nTo unsubscribe, reply STOP.",
            "Join our free webinar.\n\nYou are receiving this because you subscribed to MedCareers updates.",
            "In this issue: new simulation centre opens, top tips for your ARCP. Click here to read online. To unsubscribe from this mailing list, click here.",
            "BMJ Careers: Top jobs this week. Consultant physician (acute medicine), Specialty doctor. Flexible working opportunities. Unsubscribe from these alerts.",
            "Weekly digest from the Medical Registrar Network: 12 new posts in 'Flexible training'. Unsubscribe from digest.",
        ] {
            let mail = Enquiry::email("news@example.org", "March edition", body);
            assert!(
                ignore_reason(&mail, body)
                    .is_some_and(|r| r.contains("unsubscribe footer")),
                "{body}"
            );
        }
        // a mailing's questions to its readers, or a digest's post titles, are no questions
        // to us
        for (subject, body) in [
            (
                "Tell us about your FPT experience",
                "Dear trainee,\n\nHow has your FPT year gone? How many hours did your pathway take each week? Tell us in our 5-minute survey.\n\nYou are receiving this because you are registered on the trainee database. Unsubscribe.",
            ),
            (
                "Weekly digest: Medical Registrars Forum",
                "Weekly digest - 14 new posts\n\n* 'Is FPT worth it?' - 23 replies\n* 'Rota swaps in Manchester' - 4 replies\n\nYou are receiving this digest because you are a member of the forum.",
            ),
        ] {
            let mail = Enquiry::email("news@example.org", subject, body);
            assert!(ignore_reason(&mail, body).is_some(), "{body}");
        }
        // someone answering a digest, its footer quoted under their question, is read
        let body = "Does anyone know how long the FPT minimum is?\n\n> Weekly digest - 14 new posts\n> You are receiving this digest because you are a member of the forum.";
        let mail = Enquiry::email(
            "dr@example.org",
            "Re: Weekly digest: Medical Registrars Forum",
            body,
        );
        let text = crate::text::clean_message(body).text;
        assert_eq!(ignore_reason(&mail, &text), None, "{body}");
        // a person asking to leave a list, or a question under a forwarded newsletter, is read
        for body in [
            "Please unsubscribe me from your mailing list.",
            "I would like to unsubscribe from the FPT mailing list, please.",
            "Is this conference relevant to FPT?\n\n> To stop receiving these emails, click here.",
            "Could you tell me whether the webinar counts for FPT. You are receiving this email because I forwarded it.",
        ] {
            let mail = Enquiry::email("dr@example.org", "Newsletter", body);
            assert_eq!(ignore_reason(&mail, body), None, "{body}");
        }
    }

    #[test]
    fn chat_small_talk_is_ignored_but_questions_are_not() {
        for text in [
            "thanks!",
            "cheers!",
            "👍",
            "hello",
            "great, thanks so much",
            "morning all",
            "lol nice one ta",
            "lol ok nvm",
            "Thank you, that's exactly what I needed.",
            "Brilliant, thanks so much for getting back to me so quickly.",
            "great ta x",
            "great thanks for getting back so fast",
            "Thank you so much for the quick reply, that answers everything I needed.",
            "cheers thats sorted then",
            "cheers that helps loads",
            "nvm found it on the website",
            "never mind, figured it out",
            "hi there, hope ur having a good friday :)",
            "hope you're all well, happy monday everyone",
        ] {
            assert!(
                ignore_reason(&Enquiry::chat("u1", text), text).is_some(),
                "{text}"
            );
        }
        for text in [
            "thanks, how long is fpt?",
            "is fpt in london yet?",
            "thanks, when do I get a reply to my email",
            "what?",
            "thanks - what?",
            "nvm found it, but how long does it last",
            "nvm the handbook, where are the pathway documents",
            "nvm found the handbook, still need the pathway docs pls",
            "sorted the forms thing but my ES wants the capabilities list",
            "found it, but also need to know the deadline",
        ] {
            assert_eq!(
                ignore_reason(&Enquiry::chat("u1", text), text),
                None,
                "{text}"
            );
        }
    }

    #[test]
    fn a_chat_reply_to_a_quoted_message_that_asks_nothing_is_between_colleagues() {
        for (body, own) in [
            (
                "> mo: where are the fpt forms?\nthey're on the HEE page under trainee forms",
                "they're on the HEE page under trainee forms",
            ),
            (
                "> mo: where are the fpt forms?\nno idea sorry",
                "no idea sorry",
            ),
        ] {
            let reason = ignore_reason(&Enquiry::chat("u1", body), own);
            assert!(
                reason.as_deref().is_some_and(|r| r.contains("quotes")),
                "{body}: {reason:?}"
            );
        }
        // a reply that asks, or calls on the desk, is read
        for (body, own) in [
            (
                "> mo: where are the fpt forms?\nand where do I send them once done?",
                "and where do I send them once done?",
            ),
            (
                "> mo: where are the fpt forms?\n@FPTbot no idea, can you help",
                "no idea, can you help",
            ),
        ] {
            assert_eq!(
                ignore_reason(&Enquiry::chat("u1", body), own),
                None,
                "{body}"
            );
        }
    }

    #[test]
    fn chat_addressed_to_a_colleague_by_name_needs_no_answer_and_to_the_desk_is_read() {
        for text in [
            "@Priya are you still ok to swap the thursday on-call with me? ill take your sat",
            "@Raj did you ever get the fpt handbook link off your ES? send it over when u get a sec",
            "<@123456789> what time is teaching today?",
            "<@!42> did u get the FPT form in?",
            "Jen can you send me the link for the teaching rota pls, cheers",
            "Sam, could u swap my Thursday on-call?",
        ] {
            let reason = ignore_reason(&Enquiry::chat("u1", text), text);
            assert!(
                reason.as_deref().is_some_and(|r| r.contains("colleague")),
                "{text}: {reason:?}"
            );
        }
        for text in [
            "@fpt-bot how long is fpt?",
            "@FPT team any idea when ill hear back about my application?",
            "@everyone is the fpt day 20%?",
            "@jess do u reckon i need a PGCert b4 fpt? sorry that was meant for the bot, do u need med ed experience?",
            "how long is fpt? @jess might know",
            "my email is a.b@example.org, how do I apply for FPT?",
            "@Priya says fpt is only for one year - is that right?",
            "@Dr Shah (FPT lead) - how long does FPT last?",
            "@Priya thanks! also does anyone know if fpt is available in london?",
            "Thanks can you tell me how long FPT lasts?",
            "Admin could you tell me when applications open?",
            "Can you tell me how long FPT lasts?",
            "How do you apply for FPT, and when is the next recruitment?",
            "Anyway can you tell me how long FPT lasts?",
            "Honestly can you tell me how long FPT is",
            "Where do you find the pathway documents?",
            "Jen can the fpt bot tell me how long it lasts?",
            "Hi team, my FPT day has been cancelled three weeks running",
            // the desk called on after a colleague
            "@jess.r no idea tbh\n@FPTbot who runs fpt now, is it still the RCP??",
            "Sam can you check? @fpt-bot how long is FPT",
        ] {
            assert_eq!(
                ignore_reason(&Enquiry::chat("u1", text), text),
                None,
                "{text}"
            );
        }
        // a notice to the whole room asks nothing; a question to it is read
        for notice in [
            "@all handover 8pm in the mess, bring the jobs list pls",
            "Dear all, reminder that grand round is cancelled this week because of the strike. Thanks, Sue",
            "morning all!! teaching is in seminar room 2 today",
        ] {
            assert!(
                ignore_reason(&Enquiry::chat("u1", notice), notice)
                    .is_some_and(|r| r.contains("notice")),
                "{notice}"
            );
        }
        for text in [
            "@here does anyone know if the fpt day is 20%?",
            "Hi all, does anyone know if the fpt day is 20%?",
            "@all how do I apply for FPT",
            "@everyone can i use my fpt day for a PGCert",
        ] {
            assert_eq!(
                ignore_reason(&Enquiry::chat("u1", text), text),
                None,
                "{text}"
            );
        }
        // in a mail an "@" opens nothing of the kind
        let mail = Enquiry::email("a@example.org", "FPT", "@Jess how long is FPT?");
        assert_eq!(ignore_reason(&mail, "@Jess how long is FPT?"), None);
    }

    #[test]
    fn a_person_replying_to_or_forwarding_an_automatic_message_with_a_question_is_read() {
        for (subject, body) in [
            (
                "RE: Automatic reply: FPT newsletter",
                "Sorry to bother you again - how many pathways are there?",
            ),
            (
                "FW: Undeliverable: FPT form",
                "My form bounced, see below. Which address should I use?",
            ),
            (
                "Re: Read: FPT application",
                "Thanks for reading it - when will I hear back?",
            ),
        ] {
            let mail = format!("{body}\n\n-----Original Message-----\nFrom: someone@example.org\nSubject: x\n\nI am out of the office.");
            let e = Enquiry::email("person@example.org", subject, &mail);
            assert_eq!(ignore_reason(&e, body), None, "{subject}");
        }
        // the automatic message itself, replying to ours, is still ignored
        let e = Enquiry::email(
            "person@example.org",
            "AW: Automatische Antwort: FPT",
            "Ich bin abwesend.",
        );
        assert!(ignore_reason(&e, "Ich bin abwesend.").is_some());
    }

    #[test]
    fn thanks_and_what_the_sender_will_do_next_asks_nothing() {
        for body in [
            "Thanks, I'll read the handbook tonight and talk to my supervisor.\n\nSam",
            "Received, will take a look at the weekend.",
            "Just confirming I've got the forms now - will fill them in before Friday's meeting. Thanks again for your help.",
            "Thanks so much - I'll apply in the next recruitment round.",
        ] {
            let e = Enquiry::email("sam@example.org", "RE: FPT", body);
            let text = crate::text::clean_message(body).text;
            assert!(ignore_reason(&e, &text).is_some(), "{text:?}");
        }
        for body in [
            "Thanks, I'll apply - but when does the round open?",
            "Thanks. I still haven't received the form, could you resend it?",
            "Thanks, I will need the form for my ES meeting.",
        ] {
            let e = Enquiry::email("sam@example.org", "RE: FPT", body);
            assert_eq!(ignore_reason(&e, body), None, "{body}");
        }
        // a longer thanks before the next step
        let body = "Many thanks for getting back to me so quickly - I'll forward this on to my ES.";
        let e = Enquiry::email("sam@example.org", "Re: FPT supervision", body);
        assert!(ignore_reason(&e, body).is_some(), "{body}");
        for text in [
            "ok ty will check the handbook later x",
            "cheers, I'll have a read of the pathway docs tonight",
            "brb ward round, will catch up on this thread later",
        ] {
            let e = Enquiry::chat("trainee", text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        for text in [
            "ok ty will check the handbook later, where is it?",
            "ok ty, I will need the link to the handbook",
        ] {
            let e = Enquiry::chat("trainee", text);
            assert_eq!(ignore_reason(&e, text), None, "{text}");
        }
    }

    #[test]
    fn thanks_saying_nothing_is_asked_or_all_is_settled_needs_no_answer() {
        let ignored = |subject: &str, body: &str| {
            let e = Enquiry::email("a@example.org", subject, body);
            let text = crate::text::clean_message(body).text;
            (ignore_reason(&e, &text).is_some(), text)
        };
        for (subject, body) in [
            (
                "Re: FPT and leave",
                "Thanks so much - that answers both of my questions. I've sorted the leave with my rota coordinator too, so all good.\n\nHave a lovely weekend,\nSophie",
            ),
            (
                "FPT induction day",
                "Just wanted to say the FPT induction day was brilliant, and thanks for sorting the room booking at such short notice. No questions from me - see you at the next one!\n\nHarry",
            ),
            (
                "Re: Annual leave on my FPT day",
                "I've sorted the leave with my rota coordinator, so all good. Thanks for your help.",
            ),
            (
                "Re: FPT pathways session - questions?",
                "No questions from me. Thanks for a really useful session.",
            ),
        ] {
            let (ignored, text) = ignored(subject, body);
            assert!(ignored, "{text:?}");
        }
        // leave still to be sorted, or a request beside "no questions", needs a person
        for (subject, body) in [
            (
                "Re: FPT and leave",
                "Thanks - that answers both of my questions. I still need to sort the leave with my rota coordinator though.",
            ),
            (
                "FPT induction day",
                "No questions from me, but could you send the slides from the induction day",
            ),
        ] {
            let (ignored, text) = ignored(subject, body);
            assert!(!ignored, "{text:?}");
        }
    }

    #[test]
    fn a_sale_under_a_rhetorical_question_is_marketing() {
        let (subject, body) = (
            "Boost your portfolio - 50% off QI course",
            "Dear Doctor,\n\nAre you on a portfolio pathway? Boost your CV with our accredited Quality Improvement certificate - 50% off this week only! Click here to enrol.\n\nUnsubscribe",
        );
        let e = Enquiry::email("offers@example.biz", subject, body);
        let text = crate::text::clean_message(body).text;
        assert!(ignore_reason(&e, &text).is_some(), "{text:?}");
        // a trainee asking about such an offer is a person
        let asked = "I got an email offering a QI certificate at 50% off. Would it count for the FPT QI pathway?";
        let e = Enquiry::email("a@example.org", "QI certificate", asked);
        assert!(ignore_reason(&e, asked).is_none());
    }

    #[test]
    fn an_answer_acknowledged_or_a_question_taken_back_asks_nothing() {
        for (subject, body) in [
            (
                "Re: protected time",
                "Thank you for explaining how much protected time there is - no further questions.\n\nDr B.",
            ),
            (
                "Re: aims",
                "Thanks so much! I had been wondering what the aims of FPT were, so this is perfect.",
            ),
            (
                "Please disregard",
                "Apologies, please disregard my previous email asking how to apply for FPT - I've found the information on the website.",
            ),
            // (the subject names the topic answered: not asked again)
            (
                "Re: FPT handbook",
                "Perfect, that's exactly what I was after. Thank you so much, and sorry again for what was probably a rather silly question!\n\nBest wishes,\nJoy",
            ),
            ("Re: FPT handbook", "That's just what I needed, many thanks!"),
            ("Re: FPT handbook", "perfect thats exactly what i was after ta"),
        ] {
            let e = Enquiry::email("a@example.org", subject, body);
            let text = crate::text::clean_message(body).text;
            assert!(ignore_reason(&e, &text).is_some(), "{text:?}");
        }
        for text in [
            "thanks, that answers my question about the pathways!",
            "ok got it re the 20% thing, ta",
            "no worries, I'll check the handbook myself, cheers",
            // a belief the answer confirmed, with thanks or a goodbye
            "great, that's what i assumed. thanks!",
            "Thanks, that confirms what I thought. Much appreciated.",
            "ok perfect, you've confirmed what I thought. bye!",
        ] {
            let e = Enquiry::chat("trainee", text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // a goodbye alone does not acknowledge anything
        let text = "is it one day a week? bye!";
        assert_eq!(ignore_reason(&Enquiry::chat("trainee", text), text), None);
        // an apology for the question, with a question after it, still asks
        let text = "sorry again for what was probably a silly question! one more thing: is there a handbook?";
        assert_eq!(ignore_reason(&Enquiry::chat("trainee", text), text), None);
        // a question beside the acknowledgement, or something still needed, is asked
        for (subject, body) in [
            (
                "Re: protected time",
                "Thank you for explaining how much protected time there is - could you also send me the handbook",
            ),
            (
                "Re: pathways",
                "Thanks, that answers my question about the pathways. I still need the forms for my supervisor meeting.",
            ),
            (
                "Please disregard",
                "Please disregard my previous email asking how to apply - my real question is how long the pathway lasts.",
            ),
            (
                "How long is FPT?",
                "Thanks for explaining the pathways last week.",
            ),
        ] {
            let e = Enquiry::email("a@example.org", subject, body);
            let text = crate::text::clean_message(body).text;
            assert_eq!(ignore_reason(&e, &text), None, "{text:?}");
        }
        let text = "got it re the 20% thing, but what counts as professional development";
        assert_eq!(ignore_reason(&Enquiry::chat("trainee", text), text), None);
    }

    #[test]
    fn an_auto_reply_bot_in_chat_and_a_greeting_before_a_question() {
        let text = "[Automatic reply] I'm currently unavailable. What can I help you with? Leave a message and I'll get back to you.";
        assert!(ignore_reason(&Enquiry::chat("bot", text), text).is_some());
        let text = "out of office today lol, does anyone know how long fpt lasts?";
        assert_eq!(ignore_reason(&Enquiry::chat("u", text), text), None);
        // a greeting before a question with laughter is not banter
        let text = "yo how many days a wk do u get off for fpt lol";
        assert_eq!(ignore_reason(&Enquiry::chat("u", text), text), None);
    }

    #[test]
    fn a_thank_you_email_is_ignored_but_a_subject_only_question_is_not() {
        let thanks = Enquiry::email("a@example.org", "Re: FPT", "Thank you!");
        assert!(ignore_reason(&thanks, "Thank you!").is_some());
        let subject_only = Enquiry::email("a@example.org", "How many days a week is FPT?", "");
        assert_eq!(ignore_reason(&subject_only, ""), None);
    }

    /// Subjects the common clients give automatic replies, per language.
    const AUTO_REPLY_SUBJECTS: &[(&str, &str)] = &[
        ("en", "Automatic reply: FPT question"),
        ("en", "Out of Office: back Monday"),
        ("en", "Out of office until 12 December"),
        ("en", "Auto-Reply: Re: FPT"),
        ("en", "Autoreply: your message"),
        (
            "en",
            "Your enquiry has been received: Which pathways does FPT offer?",
        ),
        ("en", "We have received your message"),
        ("cy", "Ateb Awtomatig: Cwestiwn FPT"),
        (
            "de",
            "Automatische Antwort: Re: FPT protected time question",
        ),
        ("de", "Abwesenheitsnotiz: FPT"),
        ("de", "AW: Automatische Antwort: FPT"),
        ("fr", "Réponse automatique : Question FPT"),
        ("fr", "Absent du bureau : FPT"),
        ("es", "Respuesta automática: Pregunta FPT"),
        ("es", "Fuera de la oficina: FPT"),
        ("it", "Risposta automatica: Domanda FPT"),
        ("it", "Fuori ufficio: FPT"),
        ("nl", "Automatisch antwoord: Vraag over FPT"),
        ("nl", "Afwezig: FPT"),
        ("pt", "Resposta automática: Pergunta FPT"),
        ("pt", "Fora do escritório: FPT"),
        ("pl", "Automatyczna odpowiedź: Pytanie FPT"),
        ("pl", "Poza biurem: FPT"),
    ];

    #[test]
    fn automatic_reply_subjects_in_each_language_are_ignored() {
        for (lang, subject) in AUTO_REPLY_SUBJECTS {
            let e = Enquiry::email("person@example.org", subject, "How many days a week?");
            let reason = ignore_reason(&e, "How many days a week?");
            assert!(
                reason
                    .as_deref()
                    .is_some_and(|r| r.contains("automatic reply")),
                "{lang}: {subject}: {reason:?}"
            );
        }
    }

    #[test]
    fn ordinary_subjects_with_words_like_automatic_are_not_ignored() {
        for subject in [
            "Is FPT automatic for ST3s?",
            "Automatic enrolment onto FPT",
            "Out of office hours: can my FPT day be a weekend?",
            "Reply needed: FPT start date",
            "Absence from clinics on my FPT day",
            "Reading list for the education pathway",
            "Delivery of teaching as an FPT project",
            "Invitation to apply: how do I apply for FPT?",
            "Recalled to clinical work - does FPT pause?",
            "Accepted onto ST3 - when can I start FPT",
            "Provisional offer and FPT",
            "Read this first: FPT and LTFT",
            "Delivered teaching - does it count as FPT",
        ] {
            let text = "How many days a week is FPT?";
            let e = Enquiry::email("person@example.org", subject, text);
            assert_eq!(ignore_reason(&e, text), None, "{subject}");
        }
    }

    #[test]
    fn robot_headers_are_ignored_and_auto_response_suppress_is_not_one() {
        for (name, value) in [
            ("Auto-Submitted", "auto-replied"),
            ("Auto-Submitted", "auto-generated"),
            ("X-Autoreply", "yes"),
            ("X-Autorespond", "yes"),
            ("X-Autoresponder", "vacation"),
            ("X-Auto-Response", "yes"),
            ("X-MS-Exchange-Message-Is-Ndr", ""),
            (
                "X-MS-Exchange-Organization-MessageClass",
                "IPM.Note.Rules.OofTemplate.Microsoft",
            ),
            ("Precedence", "auto_reply"),
        ] {
            let e = email_with((name, value), "FPT");
            assert!(
                ignore_reason(&e, "How long is FPT?").is_some(),
                "{name}: {value}"
            );
        }
        // a person's mail forwarded by an Exchange mailbox rule is still a person's
        let e = email_with(
            (
                "X-MS-Exchange-Generated-Message-Source",
                "Mailbox Rules Agent",
            ),
            "Research pathway",
        );
        assert_eq!(ignore_reason(&e, "Is research one of the pathways?"), None);
        for value in ["DR, OOF, AutoReply", "All"] {
            let e = email_with(("X-Auto-Response-Suppress", value), "Research pathway");
            assert_eq!(ignore_reason(&e, "Is research one of the pathways?"), None);
        }
    }

    #[test]
    fn a_reply_that_is_only_an_out_of_office_notice_is_ignored() {
        for text in [
            "I am currently out of the office with limited access to email. I will reply on my return.",
            "I'm on annual leave until 5 January.",
            "Ich bin bis einschließlich 12. Dezember nicht im Büro und habe keinen Zugriff auf meine E-Mails.",
            "Je suis absente du bureau jusqu'au 3 janvier.",
            "Estoy fuera de la oficina hasta el lunes.",
            "Sono fuori ufficio fino a lunedì.",
            "Ik ben afwezig tot maandag.",
            "Estou fora do escritório até segunda-feira.",
            "Jestem poza biurem do poniedziałku.",
            "Rwyf i ffwrdd o'r swyddfa tan ddydd Llun.",
            "Working nights until Friday so I won't be reading email before then. For anything urgent ring the ward.",
        ] {
            let e = Enquiry::email("person@example.org", "Re: FPT", text);
            assert!(ignore_reason(&e, text).is_some(), "{text}");
        }
        // away, but asking: a person
        for text in [
            "I am on annual leave next week. How many days a week is FPT?",
            "I'm away until Monday; could you tell me when applications open",
            "I am on maternity leave and wanted to check whether my FPT day pauses.",
            "I am on parental leave. I have a question about returning to FPT.",
            "I won't be checking email on my FPT day. Is that allowed?",
            "I'm on maternity leave from June and would like to defer my FPT start to next February.",
            "I'm away until 3 March with limited access to email, but I wanted you to know I've accepted the FPT offer.",
        ] {
            let e = Enquiry::email("person@example.org", "FPT", text);
            assert_eq!(ignore_reason(&e, text), None, "{text}");
        }
    }

    #[test]
    fn marketing_and_phishing_are_ignored_and_a_person_is_not() {
        for (subject, body) in [
            (
                "Get your website to page 1 of Google",
                "I noticed your website isn't ranking. Our SEO experts can guarantee first-page results within 30 days. Reply YES for a free audit!",
            ),
            (
                "Action required: mailbox storage full",
                "Your mailbox has exceeded its storage limit. To avoid losing incoming messages, click the link below to verify your account within 24 hours.",
            ),
            (
                "",
                "Hi, I'm Sam from Locums4U. Shifts for registrars at competitive rates, up to £95 per hour. Reply YES and we'll call you.",
            ),
            (
                "Security notice",
                "Your email password is due to expire tonight. Keep your access by typing your existing password on the secure page.",
            ),
            (
                "Doctors are earning £5,000/week with this",
                "Exclusive opportunity for medical professionals! Turn £250 into £5,000 with our AI trading platform.",
            ),
            (
                "Call for papers: fast-track peer review",
                "Dear Esteemed Doctor, we invite you to submit your manuscript to our journal. Guaranteed acceptance, publication fee of only $99.",
            ),
            (
                "",
                "MAKE £300 A DAY FROM HOME!!! no experience needed",
            ),
            (
                "Well done!!",
                "Hello, your address was chosen in our weekly prize draw. Claim your £2,500 Tesco gift card today by verifying your card details on the page below.",
            ),
            (
                "Payment reminder",
                "Invoice no. 88412 is now unpaid. Please settle it via our secure portal: pay within 48 hours to avoid legal action.",
            ),
            (
                "Final call: 25% off Med Tech Expo passes",
                "Three days of innovation in London. Early bird pricing closes Monday - book today and save.",
            ),
            (
                "Congratulations, you're a winner",
                "You have been selected to receive a £250 gift card. Claim your reward now: this offer expires in 24 hours.",
            ),
        ] {
            let e = Enquiry::email("someone@example.com", subject, body);
            let reason = ignore_reason(&e, body);
            assert!(
                reason.as_deref().is_some_and(|r| r.contains("phishing")),
                "{subject}: {reason:?}"
            );
        }
        // in chat too
        let body = "Hey all 👋 locum registrar shifts at top rates, £110/hr. Reply YES for details";
        assert!(ignore_reason(&Enquiry::chat("bot", body), body).is_some());
        let body =
            "💰 EARN £££ FROM HOME!! crypto signals 300% returns guaranteed, join t.me/profits";
        assert!(ignore_reason(&Enquiry::chat("bot", body), body).is_some());
        for body in [
            "grow ur TikTok likes fast - 5k real likes just £3!!! dm us for prices",
            "Buy YouTube subscribers, ONLY $4.99! visit growfast dot xyz",
        ] {
            assert!(
                ignore_reason(&Enquiry::chat("bot", body), body).is_some(),
                "{body}"
            );
        }
        // a list's footer that says why it was sent is bulk mail
        let body = "Join us at the Digital Health Summit in March.\n\nYou received this email because you registered for a previous event. Unsubscribe";
        let e = Enquiry::email("events@example.com", "Digital Health Summit", body);
        assert!(ignore_reason(&e, body).is_some_and(|r| r.contains("bulk")));
        // one sign alone is a person: a link to click, or "reply yes" to a question
        for body in [
            "I tried to click the link below on your page but it is broken. Where is the handbook?",
            "Could you reply yes or no: is FPT running in Wessex?",
            "My NHSmail password expired so I missed your reply. Could you resend the handbook?",
            "Would FPT stop me doing locum shifts at £90 an hour on my non-FPT days?",
            "I've won a teaching prize for my QI work. Does it count towards the QI pathway?",
            "Could my FPT informatics project study an AI trading platform's data?",
            "Dear FPT team, I'd like to submit an abstract about my QI project to a conference. Does that count as evidence for the QI pathway?",
            "Can I make my FPT day a working-from-home day?",
            "I got an email claiming to be from the FPT team saying my mailbox is full and I need to click the link to verify your account. Is this genuine? I have not clicked it.",
            "Dear Respected Sir/Madam, I have received an invitation to submit an abstract of my QI project to the Acute Medicine conference. Can I use my FPT day to attend?",
            "Hi, I got this email from a journal after my FPT QI project - call for papers, guaranteed acceptance and a publication fee of only $99. Is this legit?",
            "Can I work from home to make up time on my FPT day? I sometimes do locum shifts at £60 per hour on other days.",
            "One of my trainees got an email about an AI trading platform claiming she could be earning £5,000/week. Is FPT open to GP trainees?",
            "Our trust's invoice for the FPT course is overdue according to finance. Who pays for pathway courses?",
            "My informatics project looks at why Instagram followers trust health advice. Does that fit the clinical informatics pathway?",
            "Is there an early bird rate for the FPT induction day, or is it free?",
            "I received this email because my supervisor forwarded it. Is the 30% off offer for the QI course open to FPT trainees?",
        ] {
            let e = Enquiry::email("person@example.org", "FPT question", body);
            assert_eq!(ignore_reason(&e, body), None, "{body}");
        }
    }

    #[test]
    fn receipts_recalls_invitations_and_service_notices_are_ignored() {
        for subject in [
            "Read: How many days a week is FPT?",
            "Not read: FPT",
            "Delivered: FPT question",
            "Gelesen: FPT",
            "Lu : FPT",
            "Leído: FPT",
            "Letto: FPT",
            "Gelezen: FPT",
            "Lida: FPT",
            "Przeczytane: FPT",
            "Recall: FPT question",
            "Message Recall Failure: FPT question",
            "Accepted: FPT induction",
            "Declined: FPT induction",
            "Tentative: FPT induction",
            "Angenommen: FPT",
            "Your mailbox is almost full",
        ] {
            let e = Enquiry::email("person@example.org", subject, "x");
            assert!(ignore_reason(&e, "x").is_some(), "{subject}");
        }
        let mut invite = Enquiry::email("person@example.org", "FPT catch-up", "See you then");
        invite.attachments.push(crate::enquiry::Attachment {
            name: "invite.ics".into(),
            content_type: "text/calendar".into(),
            size: 100,
        });
        assert!(ignore_reason(&invite, "See you then").is_some());
        let receipt = "Your message\n\n  To: Oliver Grant\n  Subject: Re: FPT\n\nwas read on Tuesday, December 9, 2025 12:41:05 PM.";
        let e = Enquiry::email("person@example.org", "Re: FPT", receipt);
        assert!(ignore_reason(&e, receipt).is_some());
        let teams = "Microsoft Teams meeting\nJoin on your computer\nJoin the meeting now\nMeeting ID: 123 456\nPasscode: abc";
        let e = Enquiry::email("person@example.org", "FPT catch-up", teams);
        assert!(ignore_reason(&e, teams).is_some());
        // a reminder with only a join link, and an events platform's ticket
        for (subject, body) in [
            ("Reminder: FPT trainee forum", "Reminder: FPT trainee forum starts in 15 minutes.\nWhen: Wednesday 30 November 2022 13:00-14:00\nJoin Zoom meeting: https://zoom.us/j/123456"),
            ("FPT pathway leads starts in 10 minutes", "Your meeting starts in 10 minutes: FPT pathway leads.\nJoin: https://teams.microsoft.com/l/meetup-join/abc"),
            ("Your tickets for Portfolio careers", "Your ticket for 'Portfolio careers for physicians' on 12 Jan. Order #123456. Add to calendar. View your ticket."),
        ] {
            let e = Enquiry::email("person@example.org", subject, body);
            assert!(ignore_reason(&e, body).is_some(), "{body}");
        }
        // a person who asks, with a link or an order number, is read
        for body in [
            "Can I still join the FPT forum? The link https://zoom.us/j/123456 says it has ended.",
            "I booked your ticket for the FPT day, order #123456 - could you confirm it is valid?",
        ] {
            let e = Enquiry::email("person@example.org", "FPT forum", body);
            assert_eq!(ignore_reason(&e, body), None, "{body}");
        }
        let report = email_with(
            (
                "Content-Type",
                "multipart/report; report-type=disposition-notification",
            ),
            "Your message",
        );
        assert!(ignore_reason(&report, "x")
            .unwrap()
            .contains("read receipt"));
        let robot = Enquiry::email(
            "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.org",
            "Undeliverable",
            "x",
        );
        assert!(ignore_reason(&robot, "x").is_some());
    }

    #[test]
    fn the_recalled_subject_is_read_from_the_subject_or_the_body() {
        let e = Enquiry::email("a@example.org", "Recall: FPT question", "x");
        assert_eq!(recalled_subject(&e).as_deref(), Some("FPT question"));
        let e = Enquiry::email(
            "a@example.org",
            "FPT question",
            "Dr A would like to recall the message, \"FPT question\".",
        );
        assert_eq!(recalled_subject(&e).as_deref(), Some("FPT question"));
        let e = Enquiry::email("a@example.org", "FPT question", "Can I recall my answer?");
        assert_eq!(recalled_subject(&e), None);
        // the recalled subject's question mark is not the sender asking; a question of
        // their own is
        let text = "Dr S. Clark would like to recall the message, \"FPT in Cambridge?\".";
        let e = Enquiry::email("a@example.org", "Message recall", text);
        assert!(ignore_reason(&e, text).is_some());
        let text = "Dr S. Clark would like to recall the message, \"FPT in Cambridge?\". Is \
                    it running in Norwich?";
        let e = Enquiry::email("a@example.org", "Message recall", text);
        assert!(ignore_reason(&e, text).is_none());
        let text = "Your recall of the message \"FPT in Leeds?\" failed.";
        let e = Enquiry::email(
            "a@example.org",
            "Message recall failed: FPT in Leeds?",
            text,
        );
        assert!(ignore_reason(&e, text).is_some());
    }

    #[test]
    fn unreadable_mail_is_never_small_talk() {
        let mut e = Enquiry::email("a@example.org", "Applying for FPT", "");
        e.unreadable = Some("no readable text: only an attachment winmail.dat".into());
        assert_eq!(ignore_reason(&e, ""), None);
        let mut e = Enquiry::email("a@example.org", "Re: FPT", "");
        e.unreadable = Some("no readable text: only an attachment cv.pdf".into());
        assert_eq!(ignore_reason(&e, ""), None);
    }
}
