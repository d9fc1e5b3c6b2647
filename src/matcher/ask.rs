//! What kind of answer a question asks for ("how many", "how do I", "who", "when", "where",
//! "why"), read from its question words. An entry answers what its phrasings ask: when a
//! question asks for a kind of answer that none of an entry's phrasings asks for ("how do I
//! change pathway?" against an entry whose phrasings all ask "which pathways are there?"), the
//! entry shares the topic but probably not the answer. This is a grammatical signal, the same
//! for any knowledge base: it lists question words, never topics.

use crate::text::SplitWords;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::patterns::Patterns;

/// The kind of answer a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AskKind {
    /// "how much", "how many", "how long", "how often", "the number of": an amount.
    Amount,
    /// "how do I", "how can", "how to": a procedure or mechanism.
    Procedure,
    /// "who", "which person", "which consultants": a person, people or an organisation.
    Person,
    /// "when", "what date", "which day of the week": a time.
    Time,
    /// "where": a place or location of something.
    Place,
    /// "why": a reason.
    Reason,
    /// A request that someone do something for the asker: write or sign a personal document
    /// ("could you send me a letter confirming…", "sign my form"), change their record ("take
    /// me off the list"). A knowledge base states facts; only an entry whose phrasings ask for
    /// such a service offers it.
    Service,
    /// "does X count towards / as Y", "can the day be used towards a PhD?": whether
    /// something is recognised or credited for something else (training time towards a
    /// certificate, work as evidence). An entry that
    /// states how long or what something is does not say what it counts towards.
    Credit,
    /// "does X push back / delay my CCT date", "does that time get added on to the end of my
    /// training?", "will my CCT move?": a consequence for a date or timeline, which
    /// an entry stating how long something lasts does not give.
    Delay,
    /// "can I carry over / swap / move my FPT day …", "can I do a PhD through the research
    /// pathway?", "can they cancel my FPT day when the ward is short?", a bare "is that
    /// allowed?" after what the asker would like to do: permission
    /// to alter one's own arrangement or put it to another use, which
    /// an entry stating the arrangement does not give.
    Change,
    /// "has anyone looked at my form yet?", "have you received my application?", "why didn't
    /// I get it?", "why was my application rejected?", "I wanted to ask you about my
    /// application": the state or outcome of the asker's own case, which only a person with
    /// the case in front of them can say.
    Status,
    /// "what's the closing date for applications?", "when do they close?", "when it opens and
    /// closes": a deadline, which an entry saying when
    /// something starts or happens does not give.
    Deadline,
    /// "what are the six capabilities? I need the names", "can you list them": the items
    /// themselves, by name. An entry that says how many there are, or what they are made of,
    /// does not name them; only an entry whose phrasings ask for the items does.
    Items,
    /// "will I be taken off FPT?", "will I lose my place?", "what happens to my FPT day
    /// if …", "would it affect my visa sponsorship?", "I'm 60% LTFT - is it still one day a
    /// week?", "is it pro-rata'd?", "does the minimum pause while I'm off?", "will my pathway be
    /// held for me while I'm off?", "do I get my FPT
    /// day back?", "can i keep my fpt going while im OOPR?", "could I start the pathway now, while I'm
    /// still out of programme?", "can I take FPT during an OOP year?", "could I join FPT when
    /// I come back?", "can I keep my FPT if I go out of programme?": a consequence of the asker's own circumstances, which
    /// only a person who knows them can say; an entry stating the general rule does not.
    Consequence,
    /// "the link to the handbook gives a 404", "no reply from the mailbox in three weeks, who
    /// else can I contact?": a fault reported in something the asker was pointed to, which a
    /// person must fix or work around; an entry saying where the thing is only points to it
    /// again; and what to do about something gone wrong ("the posts weren't visible when I
    /// ranked. What should I do now?", "What can I do about this?").
    Fault,
    /// "is the FAQ 2021 document still up to date?": whether a document is still current,
    /// which an entry pointing to the document does not say.
    Currency,
    /// "who was the RCP lead for the pilot? need a name", "who chaired the working group?",
    /// "who wrote the handbook?": a named individual, which an entry naming only
    /// organisations does not give; only an entry whose phrasings ask for a person by name
    /// offers it.
    Name,
    /// "is there an equivalent of FPT in Scotland?", "anything like fpt for GP trainees?", "is
    /// FPT like the surgical flexible training scheme?": another scheme like the subject,
    /// which an entry describing the subject itself does not say; only an entry whose
    /// phrasings ask about equivalents offers it.
    Equivalent,
    /// "what's the difference between the QI and research pathways?", "how is FPT different
    /// from a chief registrar post?", "is FPT the same as flexible training?", "are FPT and
    /// LTFT the same thing?", "how does it compare with an OOPR?", "fpt vs LTFT, which
    /// is better?": how two things differ, which an entry describing one or listing both does
    /// not say; only an entry whose phrasings ask how things differ offers it.
    Comparison,
    /// "is the FPT day paid the same as a clinical day?", "will my banding change?", "does it
    /// affect my pension?", "who funds the posts?", "time in a consultant's job plan": pay, which an entry stating how much time is protected does not
    /// give; only an entry whose phrasings ask about pay offers it.
    Pay,
    /// "has FPT been shown to reduce burnout?", "is there any evidence that it improves
    /// patient care?", "did the pilot work?": evidence of an effect, which an entry stating
    /// what the scheme aims to do does not give; only an entry whose phrasings ask for
    /// evidence or results offers it. (Not a portfolio's "evidence for the capabilities".)
    Evidence,
    /// "are there plans to add a leadership pathway?", "any plans for FPT to expand?", "will
    /// there be a new pathway?", "could they add global health in the future?": plans for the
    /// scheme's future, which an entry describing the scheme as it is does not give; only an
    /// entry whose phrasings ask about plans offers it.
    Plans,
    /// Anything else ("what", "which", yes/no questions, statements): compatible with any entry.
    Open,
}

/// Working part time, said of oneself or of someone else: "I'm 60% LTFT", "I work LTFT at
/// 60%", "if I go less than full time", "she's part-time", "LTFT at 80%", "working 80%
/// LTFT". Part of
/// [`AskKind::Consequence`]'s pattern, and read in a question's context by
/// `matcher::shared::asked_with_context`.
pub(crate) const WORKS_PART_TIME: &str = r"\b(?:i[\x27’]?m|im|i\s+am|i\s+work|i\s+will\s+be|i[\x27’]ll\s+be|if\s+i\s+(?:am|[\x27’]m|was|go|went|work|do|did)|(?:she|he|they)[\x27’]?s|(?:she|he)\s+is|they\s+are|(?:she|he)\s+works|they\s+work|currently|going|go|switching\s+to|moving\s+to)\s+(?:at\s+|on\s+)?(?:\d{2,3}\s*%\s+)?(?:ltft|less\s+than\s+full[\s-]time|part[\s-]time)\b|\b(?:ltft|less\s+than\s+full[\s-]time|part[\s-]time)\s+(?:at\s+)?\d{2,3}\s*%|\b\d{2,3}\s*%\s+(?:ltft|less\s+than\s+full[\s-]time|part[\s-]time)\b|\b(?:my|her|his|their)\s+(?:ltft|less\s+than\s+full[\s-]time|part[\s-]time)\s+(?:hours|contract|job|post|rota|week|days?|pattern|percentage|time)\b";

/// Each kind's pattern, asked of folded text (lower case, accents dropped, quotes made
/// ASCII: [`crate::text::fold`]). Words are matched with ASCII classes (`[a-z0-9_-]`), not
/// Unicode `\w`: a bounded repeat of `\w` ("up to four words") compiles to an automaton
/// hundreds of times larger, in every thread's regex cache and in the set's lazy DFA (about
/// 10 MB of the service's peak memory when the comparison kind came).
static KINDS: LazyLock<Vec<(AskKind, Regex)>> = LazyLock::new(|| {
    let re = |p: &str| Regex::new(p).expect("ask-kind regex is valid");
    vec![
        (
            AskKind::Amount,
            re(
                r"\bhow\s+(much|many|long|often|big|far)\b|\bwhat\s+(proportion|fraction|percentage|amount|share)\b|\b(?:the|what|total|exact|rough)\s+(?:total\s+)?number\s+of\b|^\W*(?:number|no\.)\s+of\b",
            ),
        ),
        (
            AskKind::Procedure,
            re(
                r"\bhow\s+(do|does|did|can|could|would|should|will|to|is|are|would)\b|\bwhat\s+(is|are)\s+the\s+(process|procedure|steps)\b|\bwhat\s+(?:do|should|can|would)\s+(?:i|we)\s+do\b",
            ),
        ),
        (
            AskKind::Person,
            re(r"\bwho(m|se|s)?\b|\bwhich\s+(person|people|organisation|organization|body|consultants?|supervisors?|trainers?|tutors?|clinicians?|doctors?|individuals?|staff)\b"),
        ),
        (
            AskKind::Time,
            re(
                r"(?:^|[.?!:;(]\s*|\b(?:exactly|roughly|approximately|know|knows|tell|say|ask|asking|wondering|wonder|sure|idea|confirm|clarify|advise|check|out|explain|remind|update|inform|indicate|let)\s+(?:(?:me|us)\s+)?)when\b|\bwhen\s*(?:will|would|does|do|did|is|are|was|were|can|could|should|shall|might|may|has|have|abouts|exactly|roughly|approximately|typically|usually|normally|generally|['’]s|r)\b|\bwhat\s+(date|time|year|month)\b|\bwhat\s+(?:was|is|will\s+be|would\s+be)\s+the\s+(?:(?:exact|actual|precise|specific|official)\s+)?(?:date|year|month)\b|\b(?:a|the|any)\s+(?:(?:exact|rough|start|confirmed|firm)\s+)?(?:date|timeline|timescale|timeframe)\s+(?:yet|for|of\s+the\s+next)\b|\bwhich\s+(days?|dates?|weeks?|months?|years?|time)\s+(of|in|does|do|is|are|would|will|should|can)\b",
            ),
        ),
        (
            AskKind::Place,
            re(r"\bwhere\b|\bwhich\s+(regions?|areas?|places?|hospitals?|sites?)\b"),
        ),
        (AskKind::Reason, re(r"\bwhy\b")),
        (
            AskKind::Credit,
            re(
                r"\b(?:count|counts|counted|counting)\s+(?:(?:fully|entirely|completely|properly|officially|still|all|both|also)\s+)?(?:towards?|to|as|for)\b|\b(?:recogni[sz]ed|credited|accredited)\s+(?:towards?|as|for)\b|\b(?:go|goes)\s+towards?\b|\blead(?:s|ing)?\s+to\s+(?:a|an)\s+(?:md|phd|dphil|masters?|msc|degree|diploma|certificate|qualification|pg\s*cert|pgcert)\b|\b(?:used|use|using|put|putting)\s+(?:(?:it|this|that|them)\s+|(?:the|my|our|your|this|that)\s+(?:[\w-]+\s+){0,2}?(?:day|days|time|sessions?|pathway|project|work)\s+)?towards?\b",
            ),
        ),
        (
            AskKind::Delay,
            re(
                r"\bpush(?:es|ed|ing)?\s+(?:(?:(?:my|your|ur|the|their|his|her|our)\s+)?(?:[a-z0-9_-]+\s+){0,2})?(?:back|out)\b|\bdelay(?:s|ed|ing)?\b|\bpostpone[sd]?\b|\b(?:extend|lengthen)(?:s|ed|ing)?\s+(?:(?:my|your|the|their|his|her)\s+)?(?:training|cct|programme|rotation)\b|\badded\s+(?:on\s+)?(?:to|onto)\s+(?:the\s+end\s+of\s+)?(?:my|your|the|their|his|her)\s+(?:training|programme|rotation|cct)\b|\b(?:my|your|the|their|his|her)\s+cct(?:\s+date)?\s+(?:moves?|moved|changes?|changed|shifts?|shifted|slips?|slipped|be\s+(?:moved|changed|affected|later))\b|\bmove\s+(?:my|your|the|their|his|her)\s+cct\b|\b(?:cct|training|programme)(?:\s+date)?\s+(?:(?:gets?|got|is|be|being|will\s+be|would\s+be)\s+)?(?:extended|lengthened|prolonged)\b|\b(?:i['’]ll|i\s+will|i['’]d|i\s+would|we['’]ll|they['’]ll|she['’]ll|he['’]ll|you['’]ll|to)\s+(?:cct|finish\s+(?:training|my\s+training)|complete\s+(?:training|my\s+training))\s+(?:later|late|after)\b",
            ),
        ),
        (
            AskKind::Change,
            re(
                r"\b(?:can|could|may|might)\s+(?:i|we|u|you)\s+(?:still\s+|just\s+)?(?:carry\s+(?:it\s+)?over|swap|move|switch|change|reschedule|rearrange|defer|split|bank|make\s+up|transfer|take\s+(?:it|my\s+[a-z0-9_]+\s+day)\s+(?:on|at)\s+a)\b|\b(?:allowed|possible)\s+to\s+(?:carry\s+(?:it\s+)?over|swap|move|switch|change|reschedule|rearrange|defer|split|bank|make\s+up|transfer)\b|\bis\s+there\s+(?:any|a|some)\s+(?:way|chance|possibility)\s+(?:to|of|(?:i|we|u|you)\s+(?:can|could))\s+(?:move|moving|swap|swapping|reschedul[a-z]*|rearrang[a-z]*|defer[a-z]*|postpon[a-z]*|chang[a-z]*\s+(?:it|this|that|the\s+date|my\s+[a-z]+))\b|\b(?:arrange|find|request|organi[sz]e|sort\s+out)\s+(?:a\s+)?(?:replacement|new|different)\b|\b(?:take|do|have|split)\s+(?:it|(?:my|the)\s+(?:[a-z0-9_-]+\s+)?day)\s+(?:as|into)\s+(?:two\s+|2\s+)?half[\s-]?days\b|\b(?:can|could|may)\s+(?:i|we|u)\s+(?:drop|quit|leave|stop|give\s+up|pull\s+out\s+of|withdraw\s+from|come\s+off)\s+(?:it|fpt|the\s+scheme|the\s+programme|my\s+pathway)\s+(?:early|before|mid)|\b(?:can|could|may)\s+(?:i|we|u)\s+give\s+(?:it|fpt|the\s+scheme|my\s+pathway)\s+up\b|\b(?:can|could|may|will|would)\s+(?:it|the\s+day|my\s+day|the\s+fpt\s+day|my\s+fpt\s+day)\s+(?:be\s+)?(?:move|moved|change|changed|vary|varied|swap|swapped|shift|shifted|rotate|rotated|split|divided)(?:\s+around|\s+about)?\b|\b(?:day|days|time)\s+(?:can|could|may|might)\s+be\s+(?:split|divided|broken\s+up|carried\s+over|banked|swapped|moved)\b|(?:^|[.?!;:]\s*|\b(?:and|so|but|then)\s+)\W*(?:can|could|may)\s+(?:i|we|u)\s+(?:do|take|pick|choose|switch\s+to|go\s+for|have|start)\b[^.?!]{0,60}?\binstead\b|\b(?:i|we|but|and)\s+(?:want|wanted|would\s+like|[\x27’]d\s+like|am\s+hoping|[\x27’]m\s+hoping|plan|am\s+planning|[\x27’]m\s+planning)\s+to\s+(?:start|do|take|switch|move|begin|have)\b[^.?!]{0,60}?\binstead\b|\b(?:can|could|may)\s+(?:i|we|u|you|she|he|they)\s+(?:join|start|enter|begin|switch\s+(?:on)?to)\s+(?:fpt|it|the\s+scheme|the\s+programme|a\s+pathway)\s+(?:mid[\s-]?way|part[\s-]way|half[\s-]way|in\s+the\s+middle|mid[\s-]?(?:year|rotation|st\d))|\bthe\s+same\s+day\s+(?:every|each)\s+week\b|\b(?:can|could|may)\s+(?:i|we|u|you)\s+use\s+(?:the|my|our|your|this|that)\s+(?:[a-z0-9_-]+\s+){0,2}(?:day|time|pathway|session)s?\s+(?:to\s+(?:do|fund|complete|register|start|cover)|for\s+(?:a|an|my)\s|for\s+(?:it|this|that)\b)|\b(?:can|could|may|would)\s+(?:i|we|u|you|they|trainees?)\b[^.?!]{0,60}?\b(?:alongside|on\s+top\s+of|at\s+the\s+same\s+time\s+as|in\s+addition\s+to)\b|\b(?:eligible|allowed|able|permitted)\s+to\s+(?:do|take|combine|hold|run)\b[^.?!]{0,60}?\b(?:alongside|on\s+top\s+of|at\s+the\s+same\s+time\s+as|in\s+addition\s+to)\b|\b(?:allowed|able|ok|okay|possible|can|could|may)\b[^.?!]{0,60}?\b(?:(?:work|working|do\s+it|study|studying)\s+(?:from\s+home|remotely|off\s+site)|wfh)\b|\b(?:get\s+to|allowed\s+to|able\s+to|(?:can|could|may|do|would)\s+(?:i|we|u|they|trainees?))\s+(?:pick|choose|select|decide|say)\s+(?:which|what|the|my|our|their)\s+(?:week)?days?\b|\b(?:can|could|may|might|will|would)\s+(?:the\s+(?:fpt\s+|protected\s+|portfolio\s+|non[\s-]?clinical\s+)?day|my\s+(?:fpt\s+|protected\s+|portfolio\s+)?day)\s+(?:be\s+)?(?:move[ds]?|moving|changed?|swapped|banked|split|carried\s+(?:over|across)|carry\s+(?:over|across)|transfer(?:red)?|follow\s+me|come\s+with\s+me|rotated?|shifted|flexed|cancell?ed|taken\s+away|removed|scrapped)\b|\b(?:can|could|may|might|will|would)\s+(?:they|the\s+(?:trust|rota|department|dept|hospital|ward|team|service|consultants?|rota\s+co-?ordinator)|my\s+(?:rota\s+co-?ordinator|es|cs|tpd|department|dept|trust|consultants?|boss|team|supervisor))\s+(?:(?:be\s+)?allowed\s+to\s+|just\s+|still\s+)?(?:cancel|take\s+away|remove|scrap|drop|pull)\s+(?:my|the|our)\s+(?:fpt\s+|protected\s+|portfolio\s+|non[\s-]?clinical\s+)?(?:day|days|time|session|sessions)\b|\b(?:have|has|need|needs)\s+to\s+be\s+(?:on\s+)?the\s+same\s+(?:week)?day\b|\b(?:do|register\s+for|undertake|complete|study\s+for|start|get)\s+(?:a\s+|an\s+|my\s+)?(?:[a-z0-9_-]+\s+)?(?:phd|md|msc|masters|pgcert|pg\s+cert|pgdip|diploma|degree|doctorate|mba)\s+(?:through|via|using|during|as\s+part\s+of|within|on|in)\b|^\W*(?:(?:and|so|but)\s+)?(?:is|would)\s+(?:that|this)\s+(?:(?:really|actually|even|legally|technically)\s+)?(?:be\s+)?(?:allowed|permitted|acceptable|ok(?:ay)?)(?:\s+(?:where\s+i\s+am|here|in\s+[a-z0-9_-]+|under\s+(?:the\s+)?fpt(?:\s+rules)?|mid-?year|part\s+way\s+through))?\W*$",
            ),
        ),
        (
            AskKind::Service,
            re(
                r"\b(send|write|sign|provide|issue|give|email|post|produce|draft|prepare)\s+(?:(?:me|us|him|her|them)\s+)?(?:with\s+)?(?:a|an|the|my|our|some)?\s*(?:[a-z0-9_]+\s+){0,2}(letter|certificate|reference|testimonial)s?\b|\bsign\s+(?:off\s+)?(?:my|our|his|her|their|this|the)\s+(?:[a-z0-9_-]+\s+){0,5}(form|application|paperwork|declaration)s?\b|\b(?:could|can|would|will)\s+(?:you|someone|somebody|anyone|u)\s+(?:(?:from|at|in|on)\s+(?:[a-z0-9_-]+\s+){1,3})?(?:please\s+)?(?:complete|fill\s+(?:in|out)|sign)\b|\b(?:post|mail)\s+(?:me|us)\b|\b(?:printed|hard|paper)\s+cop(?:y|ies)\b|\b(?:update|change|correct|amend)\s+my\s+(?:contact\s+)?(details|record|address|email)\b|\b(?:remove|take)\s+me\s+(?:off|from)\b|\b(?:add|put)\s+me\s+(?:on|to)\s+(?:the|your|a)\b|\b(?:(?:could|can|may|might)\s+(?:i|we)|possible\s+(?:for\s+(?:me|us)\s+)?to)\s+be\s+(?:put\s+in\s+touch|put\s+(?:on|onto)|added|connected|introduced|linked\s+up|matched|paired|signed\s+up|enrolled)\b|\b(?:as|in)\s+(?:a\s+|an\s+)?(?:word|editable|docx|excel)\s+(?:doc|document|version|format|file|copy)s?\b",
            ),
        ),
        (
            AskKind::Status,
            re(
                r"\b(?:has|have)\s+(?:anyone|anybody|someone|somebody|you|u|the\s+team)\s+(?:had\s+a\s+chance\s+to\s+)?(?:looked?|seen|read|reviewed|processed|checked|received|got|picked\s+up|had\s+a\s+(?:look|chance))\b|\bdid\s+(?:you|u|anyone)\s+(?:get|receive|see)\s+my\b|\b(?:sent|emailed|submitted|uploaded|posted)\b[^.?!]{0,60}\bdid\s+(?:you|u|anyone|the\s+team)\s+(?:get|receive|see)\s+(?:it|them|this|that)\b|\bany\s+(?:updates?|news|progress)\s+(?:on|about|with|regarding)\s+my\b|\b(?:still\s+)?waiting\s+(?:(?:\d+|a|an|one|two|three|four|five|six|several|a\s+few|many)\s+(?:days?|wks?|weeks?|months?)\s+)?(?:for|on)\s+(?:a|an|my|your)\s+(?:reply|response|answer|decision|outcome)\b|\bis\s+(?:any\s*one|anybody|someone)\s+(?:(?:actually|even|ever)\s+(?:checking|reading|monitoring|answering|looking\s+at)\b|(?:checking|reading|monitoring|answering|looking\s+at)\s+(?:it|this|the\s+(?:mailbox|inbox|emails?))\b)|\bhaven[\x27’]?t\s+heard\s+(?:anything|back)\b|\bwaiting\s+to\s+hear\s+(?:back|from)\b|\bchasing\s+(?:up\s+)?my\s+(?:(?:earlier|last|previous)\s+)?(?:e-?mail|message|enquiry|query|application)\b|\blook(?:ing)?\s+into\s+(?:my|our)\b|\b(?:check|review|look\s+(?:at|over))\s+(?:my|our)\s+(?:application|form|submission|case|record|file|details)\b|\bwhy\s+(?:didn[\x27’]?t|did\s+not|wasn[\x27’]?t|was\s+not|weren[\x27’]?t|haven[\x27’]?t|have\s+not|hasn[\x27’]?t|couldn[\x27’]?t)\s+(?:i|we|my\s+(?:application|post|place|form))\s+(?:get|been|be|offered|given|selected|shortlisted|accepted|allocated|matched|placed|hear|receive|successful)\b|\bwhy\s+(?:was|were|have|has)\s+(?:i|we|my\s+(?:application|post|place|form))\s+(?:been\s+)?(?:not\s+|never\s+)?(?:rejected|turned\s+down|refused|declined|unsuccessful|overlooked|passed\s+over|removed|taken\s+off)\b|\b(?:ask|asking|query|querying|enquire|enquiring|inquire|inquiring|chase|chasing)\s+(?:you\s+)?about\s+my\s+(?:own\s+)?(?:application|submission|case)\b|\bmy\s+(?:application|submission)\s+(?:was|has\s+been|got|had\s+been)\s+(?:turned\s+down|rejected|refused|declined|unsuccessful)\b",
            ),
        ),
        (
            AskKind::Deadline,
            re(r"\b(?:closing|cut-?\s?off|submission|due)\s+dates?\b|\bdeadlines?\b|\bwhen\b[^.?!]{0,60}?\b(?:close|closes|shut|shuts)\b|\bopens?\s+and\s+(?:closes?|shuts?)\b"),
        ),
        (
            AskKind::Items,
            re(
                r"\blist\s+(?:them|those|these|each|every|all|out|the)\b|\b(?:the\s+)?names\s+of\s+(?:the|all|each|every|them|those|these)\b|\b(?:their|actual|individual)\s+names\b|\bwhat\s+(?:are|r)\s+(?:they|these|those|each\s+of\s+them)\s+called\b|\bwhat\s+(?:are|r)\s+(?:the|all(?:\s+the)?)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+[a-z]",
            ),
        ),
        (
            AskKind::Consequence,
            re(&[
                WORKS_PART_TIME,
                r"|\b(?:taken|kicked|thrown|removed|dropped|chucked|booted)\s+(?:off|out\s+of|from)\b|\b(?:be|get|being|getting)\s+(?:removed|dropped|withdrawn|kicked\s+out|thrown\s+out)\b|\bkick(?:s|ed)?\s+(?:me|us|him|her|them)\s+(?:off|out)\b|\blos[et]\s+(?:(?:my|our|the|his|her|their)\s+)?(?:fpt\s+|portfolio\s+|protected\s+|research\s+|qi\s+)?(?:place|post|spot|slot|day|time|project|funding|fpt|it)\b|\bwhat\s+happens\s+(?:to|with)\s+(?:my|our|his|her|their)\b|\b(?:can|could|may|will|would)\s+(?:i|we|he|she|they)\s+still\s+(?:carry\s+on|continue|remain|stay|be\s+on)\b|\b(?:am|are|is)\s+(?:i|we|he|she|they)\s+(?:now\s+)?off\s+(?:fpt|it|the\s+scheme|the\s+programme|my\s+pathway)\b|\b(?:remain|stay|continue|carry\s+on)\s+(?:on|in|with)\s+(?:fpt|it|the\s+scheme|my\s+pathway)\s+(?:while|whilst|during|if|when)\b|\b(?:start|begin|join|do)\s+(?:[a-z0-9_-]+,?\s+){0,6}?(?:while|whilst)\s+(?:(?:i[\x27’]?m|im|i\s+am|i\s+was|(?:she|he)[\x27’]?s|(?:she|he)\s+is|they[\x27’]?re|they\s+are)\s+)?(?:still\s+)?(?:out\s+of\s+programme|oop[a-z]*|on\s+(?:[a-z]+\s+)?leave|off\s+sick|abroad|overseas|away|on\s+secondment)\b|\b(?:start|begin|join|do|take|keep|continue)\s+(?:[a-z0-9_-]+,?\s+){0,6}?(?:during|throughout|in)\s+(?:my|an|a|the|his|her|their)\s+(?:[a-z0-9_-]+\s+)?(?:oop[a-z]*|out\s+of\s+programme|(?:maternity|paternity|parental|sick|study)\s+leave|secondment|career\s+break)\b|\bkeep\s+(?:my\s+|the\s+|your\s+|our\s+)?(?:fpt|it|pathway|place|post|project)\s+(?:going|running|on)\s+(?:while|whilst|during)\b|\bkeep\s+(?:my|the|our|his|her|their)\s+(?:fpt|place|post|pathway|spot|slot|(?:fpt\s+|portfolio\s+|protected\s+)?day)\s+(?:if|when|while|whilst)\s+(?:i|we|she|he|they)\b|\b(?:start|begin|join|do|apply\s+for)\s+(?:[a-z0-9_-]+,?\s+){0,4}?(?:when|once|after)\s+(?:i|we|she|he|they)\s+(?:(?:come|comes|get|gets|go|goes)\s+back|return|returns)\b|\bdoes\s+(?:that|this|it)\s+mean\s+(?:i|we)\s+(?:have\s+to|will|[\x27’]ll|must|need\s+to|can[\x27’]?t|cannot)\b|\b(?:affect|affects|affecting|impact|impacts|jeopardi[sz]e|jeopardi[sz]es)\s+(?:on\s+)?(?:(?:how|whether|when)\s+)?(?:my|our|his|her|their)\b|\b(?:cause|create|pose)\s+(?:any\s+|a\s+)?(?:problems?|issues?|trouble|difficult(?:y|ies))\s+(?:with|for|to)\s+(?:my|our|his|her|their)\b|\bput\s+(?:my|our|his|her|their)\s+(?:[a-z0-9_-]+\s+){0,3}at\s+risk\b|\bpro[\s-]?rata(?:[\x27’]?d|ed)?\b|\b(?:pause|paused|freeze|frozen|stop|stops|reset|restart)\s+(?:while|whilst|during)\b|\b(?:held|kept|saved|reserved|frozen)\s+(?:open\s+)?(?:for\s+(?:me|us|him|her|them)\s+)?(?:while|whilst|during|until)\b|\b(?:pause|pauses|paused|reset|resets|restart|restarts)\s+(?:when|if|after|once)\b|\bget\s+(?:my|our|his|her|their)\s+(?:[a-z0-9_-]+\s+){0,2}(?:day|time|place|post|slot|spot)\s+back\b|\b(?:have|has|had|need|needs|got)\s+to\s+(?:drop|give\s+up|quit|abandon|stop)\s+(?:it|fpt|the\s+scheme|(?:my|our|his|her|their)\s+(?:fpt|place|post|pathway|project|(?:fpt|protected|portfolio)\s+day))\b|\b(?:fpt|it|(?:my|the|our|his|her|their)\s+(?:fpt\s+)?(?:place|post|pathway|project|day))\s+(?:(?:does|do|will|would|could)(?:n['’]?t|\s+not)?\s+|can(?:['’]?t|not|\s+not)?\s+|won['’]?t\s+|doesnt\s+|dont\s+|wont\s+|cant\s+)?transfers?\s+(?:between|across)\s+(?:regions|deaneries|trusts|programmes|specialties)\b",
            ]
            .concat()),
        ),
        (
            AskKind::Fault,
            re(
                r"\b(?:link|page|url|website|pdf|download|file|document|doc)s?\b[^.?!]{0,40}?\b(?:broken|dead|404|corrupt(?:ed)?|(?:is\s*n[o\x27’]?t|isnt|not|does\s*n[o\x27’]?t|doesnt|won[\x27’]?t|wont|will\s+not|can[\x27’]?t|cannot)\s+(?:be\s+)?(?:working|work|open|opened|load|loading|download|downloaded))\b|\b404\b|\b(?:page|file|document)\s+not\s+found\b|\berror\s+page\b|\b(?:who|where|anyone|someone|somebody|anybody)\s+else\s+(?:can|could|should|do|would)\s+(?:i|we|u|you)\s+(?:contact|email|e-mail|ask|write\s+to|speak\s+to|talk\s+to|try)\b|\b(?:any|another|other)\s+(?:other\s+)?(?:way|route|address|number|contact)s?\s+(?:to\s+)?(?:contact|reach|get\s+hold\s+of|get\s+through\s+to)\b|\bwhat\s+(?:can|could|should|shall|must|do)\s+(?:i|we)\s+do\s+(?:about\s+(?:it|this|that)|now)\b",
            ),
        ),
        (
            AskKind::Currency,
            re(
                r"\b(?:it|this|everything(?:\s+in\s+it)?|doc|document|handbook|faq|page|guide|info(?:rmation)?|website|pdf|forms?|table|answers)\s+(?:[a-z0-9_]+\s+)?still\s+(?:up[\s-]to[\s-]date|current|valid|accurate|correct)\b|\b(?:out[\s-]of[\s-]date|outdated)\b",
            ),
        ),
        (
            AskKind::Name,
            re(
                r"\b(?:need|want|have|get|know)\s+(?:a|their|his|her)\s+name\b|\bwho\s+(?:are|were)\s+the\s+(?:other\s+)?(?:trainees|registrars|regs|members|people|doctors|fellows)\s+(?:in|on)\s+(?:the|my|our|this|that)\b|\bwho\s+(?:chaired|chairs|authored|wrote|writes|edited|edits)\b|\bwho\s+(?:was|were|is|are|sat|sits|served)\s+on\s+(?:the|that|this|their)\s+(?:[\w'’-]+\s+){0,6}?(?:group|committee|panel|board|steering\s+group|working\s+party)\b|\b(?:members|membership)\s+of\s+(?:the|that|this)\s+(?:[\w'’-]+\s+){0,6}?(?:group|committee|panel|board)\b|\bnames?\s+(?:and\s+(?:e-?mail|contact|phone)\s+(?:address(?:es)?\s+|details\s+|number\s+)?)?of\s+(?:the|my|our|their|your|this|that)\s+(?:[a-z0-9_-]+\s+){0,3}(?:leads?|head|director|chair|manager|coordinator|co-ordinator|officer|administrator|tpd|person|supervisor)\b|\bwho\s+(?:is|was|are|were)\s+(?:the|our|my|their|your)\s+(?:[a-z0-9_-]+\s+){0,3}(?:leads?|head|director|chair|manager|coordinator|co-ordinator|officer|administrator|tpd)\b|\b(?:tell|let|give|send|remind)\s+(?:me|us)\s+(?:know\s+)?who\s+(?:the|our|my|their|your)\s+(?:[a-z0-9_-]+\s+){0,3}(?:leads?|head|director|chair|manager|coordinator|co-ordinator|officer|administrator|tpd)\s+(?:is|are|was|were)\b|\bwho['’]s\s+(?:the|our|my|their|your)\s+(?:[a-z0-9_-]+\s+){0,3}(?:leads?|head|director|chair|manager|coordinator|co-ordinator|officer|administrator|tpd)\b|\b(?:who(?:['’]s|\s+is|\s+are|\s+was|\s+would\s+be)\s+(?:the|my|our|their|your)|which|what)\s+(?:named|specific|particular)\s+(?:contact|person|individual|lead|officer|administrator|coordinator|co-ordinator)s?\b",
            ),
        ),
        (
            AskKind::Equivalent,
            re(
                r"\bequivalent\s+(?:of|to)\s+(?:fpt|it|this|the\s+(?:scheme|programme)|flexible\s+portfolio)\b|\b(?:fpt|flexible\s+portfolio\s+training)\s+equivalents?\b|\b(?:an?|any|the)\s+equivalent\s+(?:(?:[a-z0-9_-]+\s+)?(?:scheme|programme|program)s?|in|for|here|there|elsewhere)\b|\b(?:anything|something|any\s+scheme|a\s+scheme)\s+(?:like|similar\s+to)\s+(?:fpt|it|this\s+scheme|the\s+scheme|flexible\s+portfolio)\b|\b(?:anything|something)\s+similar(?:\s*(?:[?.!,)]|$)|\s+(?:for|in|here|there|available|offered|elsewhere)\b)|\bis\s+(?:fpt|it)\s+(?:like|similar\s+to|the\s+same\s+as)\s+(?:the\s+|a\s+)?(?:[a-z0-9_-]+\s+){0,3}?(?:scheme|programme|program)\b",
            ),
        ),
        (
            AskKind::Pay,
            re(
                r"\b(?:paid|unpaid|salary|salaries|banding|payslips?|pensions?|pensionable|wages?|remunerat[a-z]*|pay(?:\s+(?:band|bands|point|points|scale|cut|rise|protection|premia|premium))?)\b|\bfund(?:s|ed|ing)\s+(?:for\s+)?(?:fpt|it|the|my|our|these|those|posts?|trainees?)\b|\bwho\s+(?:funds|pays\s+for)\b|\bfunded\s+by\b|\bjob\s+plans?\b|\bprogrammed\s+activit(?:y|ies)\b",
            ),
        ),
        (
            AskKind::Plans,
            re(
                r"\b(?:any|are\s+there(?:\s+any)?|is\s+there\s+(?:a|any)|have\s+you\s+got\s+any)\s+(?:current\s+|future\s+|firm\s+)?plans?\b|\bwill\s+there\s+(?:ever\s+)?be\s+(?:a|an|any)\s+(?:new|fifth|extra|additional)\s+(?:pathway|option|strand|stream|track|route)s?\b|\b(?:add|introduc|launch|creat|offer|open|expand|extend|bring)[a-z]*\b[^.?!]{0,60}?\b(?:in\s+(?:the\s+)?(?:near\s+)?future|at\s+some\s+point|one\s+day|eventually|down\s+the\s+line)\b",
            ),
        ),
        (
            AskKind::Evidence,
            re(
                r"\b(?:been|being)\s+(?:(?:actually|ever|formally|properly|independently|really)\s+)?(?:shown|proven|proved|demonstrated|evaluated|measured|studied)\s+to\b|\bevidence\s+(?:(?:that|to\s+show\s+that|to\s+suggest\s+that|showing\s+that|showing|suggesting)\s+)?(?:fpt|it|the\s+scheme|this|portfolio\s+training|flexible\s+portfolio|doing\s+fpt|protected\s+time)\s+(?:works|worked|helps|helped|improves|improved|reduces|reduced|increases|increased|has|had|does|did|is|was|makes|made|actually|really)\b|\bevidence[\s-]base[ds]?\b|\bis\s+there\s+(?:any\s+)?evidence\s*[?.!]*\s*$|\b(?:results?|findings?|outcomes?|data)\s+(?:of|from)\s+(?:the\s+)?(?:pilot|evaluation)\b|\bdoes\s+(?:it|fpt|the\s+scheme)\s+(?:actually|really)\s+work\b|\b(?:did|has)\s+(?:the\s+pilot|it|fpt|the\s+scheme)\s+(?:actually\s+|really\s+)?(?:work|worked|succeed|succeeded|achieved?|delivered?|met)\b|\bhow\s+(?:is|was|are|were)\s+(?:its\s+|the\s+|fpt['’]?s\s+)?(?:success|impact|effect|progress)\s+(?:\w+\s+){0,4}?(?:measured|assessed|evaluated|judged|tracked)\b|\bwas\s+(?:the\s+pilot|it|fpt)\s+(?:actually\s+|really\s+)?(?:a\s+)?success(?:ful)?\b",
            ),
        ),
        (
            AskKind::Comparison,
            re(
                r"\b(?:what[\x27’]?s|what\s+is|whats|wats|wots|any|is\s+there\s+(?:a|any)|tell\s+me\s+the|explain\s+the)\s+(?:(?:actually|exactly|really|even)\s+)?(?:the\s+)?(?:(?:real|actual|main|practical|big|key|exact)\s+)?differences?\s+between\b|\bhow\s+(?:is|are|does|do|would)\s+(?:[a-z0-9_-]+\s+){1,4}?(?:different|differ)\s+(?:from|to|than)\s+(?:a|an|the|doing|going|being|an?\s+[a-z0-9_-]+|[a-z0-9_-]+\s+(?:post|scheme|programme|program|fellowship|job|role))\b|\b(?:is|are)\s+(?:[a-z0-9_-]+\s+){1,4}?different\s+(?:from|to|than)\s+(?:a|an|the|normal|regular|usual|standard|ordinary|doing|going|being)\b|\b(?:does|do)\s+(?:[a-z0-9_-]+\s+){1,4}?differ\s+(?:from|to)\s+(?:a|an|the|normal|regular|usual|standard|ordinary|doing|going|being)\b|\bhow\s+(?:does|do|would|will)\s+(?:[a-z0-9_-]+\s+){1,4}?compare\s+(?:with|to|against)\b|\b(?:vs\.?|versus)\s+[^?.!]{1,60}?\bwhich\b|\bwhich\s+(?:is|one\s+is|would\s+be|one\s+would\s+be)\s+(?:better|best)\b|\bwhich\s+(?:[\w-]+\s+){1,3}?(?:is|are|would\s+be|will\s+be)\s+(?:the\s+)?(?:best|better|most\s+(?:useful|helpful|valuable))\b|\b(?:what|which)(?:['’]s|\s+is)\s+the\s+best\s+(?:fpt\s+)?(?:pathway|option|choice|route|one)\b|\b(?:is|isn['’]?t)\s+(?:fpt|the\s+scheme|the\s+programme|flexible\s+portfolio(?:\s+training)?|portfolio\s+training)\s+(?:(?:just|basically|really|actually|essentially|simply|exactly)\s+)?the\s+same(?:\s+thing)?\s+as\s+(?:a|an|the|ltft|less\s+than|part[\s-]time|flexible|oop[a-z]*|study|academic|[a-z]+ing)\b|\b(?:are|is)\s+(?:fpt|flexible\s+portfolio(?:\s+training)?)\s+and\s+(?:[a-z0-9_-]+\s+){1,4}?(?:(?:just|basically|really|actually)\s+)?the\s+same(?:\s+thing)?\b",
            ),
        ),
    ]
});

/// "how does X help / benefit / improve …": the manner of an effect, not a procedure ("how
/// does FPT help with wellbeing?" asks what it does; "how does a trust go about becoming a
/// host?" asks for steps); and "how would you explain / describe / sum up X": a description
/// of X ("how would u explain it in one line"). Such a "how" is [`AskKind::Open`].
static HOW_EFFECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bhow\s+(?:do|does|did|can|could|would|will|is|are)\s+(?:[\w-]+\s+){1,3}?(?:help|helps|helping|benefit|benefits|improve|improves|support|supports|affect|affects|impact|impacts|protect|protects|contribute|contributes|fit|fits|compare|compares|differ|differs|relate|relates)\b|\bhow\s+(?:do|does|would|could|can|should|might)\s+(?:you|u|one|i|we|someone|people)\s+(?:best\s+)?(?:explain|describe|sum\s+up|summari[sz]e|define|pitch)\b")
        .expect("how-effect regex is valid")
});

/// How many times `lower` asks for a procedure ([`KINDS`]' own pattern for it).
fn procedure_matches(lower: &str) -> usize {
    KINDS
        .iter()
        .find(|(k, _)| *k == AskKind::Procedure)
        .map_or(0, |(_, re)| re.find_iter(lower).count())
}

/// Membership or classification, not credit: "does informatics count as one of the
/// pathways?", "does clinical informatics count as a pathway?", "is the FPT day counted as
/// clinical or non-clinical?", "… counted as clinical time, or is it kept separate from
/// clinical work?" (a choice between a class and its negation asks which the thing is,
/// which an entry saying what it is answers).
static COUNTS_AS_ONE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bcount(?:s|ed)?\s+as\s+(?:(?:one|any|some|part)\s+of\s+(?:the|my|your|our|their)\b|(?:a|an)\s+(?:[\w-]+\s+)?(?:pathway|option|choice|category|track|strand|stream)s?\b|(?:a\s+|an\s+)?\w+(?:\s+\w+)?,?\s+or\s+(?:(?:a|an)\s+)?(?:non[\s-]?|un|not\b|(?:is|are)\s+(?:it|they)\s+(?:\w+\s+)?(?:separate|apart|distinct)\b))")
        .expect("membership regex is valid")
});

/// "who's right?", "which one is correct?": a choice between claims just made.
static CHOICE_OF_CLAIMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:who|which(?:\s+one)?)(?:['’]s|\s+is)\s+(?:right|correct)\b")
        .expect("choice of claims regex is valid")
});

/// [`KINDS`]' patterns, in the same order, matched in one pass (see
/// [`crate::text::patterns`]).
static KIND_PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::new(KINDS.iter().map(|(_, re)| re.as_str())).expect("ask-kind regexes are valid")
});

/// The kinds of answer `text` asks for (folded or not); empty when it asks nothing specific.
pub fn ask_kinds(text: &str) -> Vec<AskKind> {
    ask_kinds_with(&KIND_PATTERNS, text)
}

/// "count(s) as clinical / non-clinical / protected (time)" ending the clause or offering
/// the other kind ("… count as clinical time, or is it protected?"): what kind of time
/// something is, not what it is credited towards ("count as clinical time for my on-call
/// allowance", "count as protected time if I was on nights" are).
static COUNTS_AS_KIND_OF_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:count|counts|counted|counting)\s+as\s+(?:(?:a|an)\s+)?(?:(?:non[\s-]?)?clinical|protected)(?:\s+(?:time|days?|sessions?|work))?\s*(?:[?.,;!]|\bor\b|$)")
        .expect("counts-as-kind-of-time regex is valid")
});

/// [`KINDS`]' patterns compiled anew, for [`ask_kinds_with`]: building an index asks them of
/// every phrasing of the base, which fills their lazy DFA's cache (several MB at 10,000
/// entries); a copy of its own, dropped after the build, takes that memory with it, where the
/// shared patterns would keep it for the life of the process.
pub(crate) fn kind_patterns() -> Patterns {
    Patterns::new(KINDS.iter().map(|(_, re)| re.as_str())).expect("ask-kind regexes are valid")
}

/// [`ask_kinds`] with the kinds' patterns `patterns` (from [`kind_patterns`]).
pub(crate) fn ask_kinds_with(patterns: &Patterns, text: &str) -> Vec<AskKind> {
    let lower = crate::text::fold(text);
    // "when it comes to ranking, will it be obvious …?" asks no time: "when it comes to" is
    // "as for"; "how much of the week would be taken out of clinical work?" asks an amount of
    // time away from clinical work, not whether the asker is taken off something
    let lower = if lower.contains("when it comes to") {
        lower.replace("when it comes to", "as for")
    } else {
        lower
    };
    // "who's right?" after two claims asks which claim is true, not for a person
    let lower = if lower.contains("right") || lower.contains("correct") {
        CHOICE_OF_CLAIMS
            .replace_all(&lower, "is that right")
            .into_owned()
    } else {
        lower
    };
    let lower = if lower.contains("out of clinical") {
        lower.replace("out of clinical", "away from clinical")
    } else {
        lower
    };
    let matching = patterns.matching(&lower);
    let mut kinds: Vec<AskKind> = KINDS
        .iter()
        .enumerate()
        .filter(|&(i, _)| matching.matched(i))
        .map(|(_, (k, _))| *k)
        // "is that day meant to count as clinical time, or is it protected?" asks what kind
        // of time it is, which the entry stating the protected time says
        .filter(|k| {
            *k != AskKind::Credit
                || !(COUNTS_AS_ONE_OF.is_match(&lower) || COUNTS_AS_KIND_OF_TIME.is_match(&lower))
        })
        // every procedure's "how" is the manner of an effect ([`HOW_EFFECT`])
        .filter(|k| {
            *k != AskKind::Procedure
                || HOW_EFFECT.find_iter(&lower).count() < procedure_matches(&lower)
        })
        .collect();
    if !kinds.contains(&AskKind::Service) && asks_action(&lower) {
        kinds.push(AskKind::Service);
    }
    kinds
}

/// Asks the reader to do something other than inform: "could somebody chase this up for me?",
/// "can you add an FPT post to my preferences?". The verb after "can/could/would/will
/// someone" (or "you" with "me"/"my" after it: a bare "can you switch pathway?" uses "you"
/// for anyone) is not one of telling, showing or sending information ([`INFORM_VERBS`]).
fn asks_action(lower: &str) -> bool {
    ACTION_REQUEST.captures_iter(lower).any(|c| {
        let verb = c.get(2).map_or("", |m| m.as_str());
        let who = c.get(1).map_or("", |m| m.as_str());
        let rest = c.get(3).map_or("", |m| m.as_str());
        // "can anyone in HST do it?", "can anybody apply?", "would someone in my specialty
        // be eligible?": whether anyone may take part, not a request to the reader, unless
        // it is done to or for the asker ("can anyone sign me up?")
        let third_party = !matches!(who, "you" | "u");
        let start = c.get(2).map_or(0, |m| m.start());
        let end = c.get(3).map_or(start, |m| m.end());
        let clause = lower.get(start..end).unwrap_or("");
        if third_party && TAKES_PART.is_match(clause) && !FOR_ME_OBJECT.is_match(clause) {
            return false;
        }
        let personal = third_party || FOR_ME.is_match(rest);
        personal && !INFORM_VERBS.contains(&verb)
    })
}

/// "can/could/would/will" + who is asked + the verb (adverbs skipped) + the rest of the clause.
static ACTION_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:can|could|would|will)\s+(you|u|someone|somebody|anyone|anybody)\s+(?:(?:please|possibly|kindly|just|also|maybe|perhaps|then|still|really|actually|even|ever)\s+)*([a-z]+)([^.?!;]*)")
        .expect("action request regex is valid")
});

/// Taking part in something, in the clause after "can anyone / someone …": "do it", "apply",
/// "join", "get on", "be eligible" (see [`asks_action`]).
static TAKES_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:do\s+(?:it|fpt|this|that|the\s+scheme)|apply|join|take\s+part|get\s+(?:on|onto|in|into)|be\s+(?:eligible|considered|accepted|allowed)|go\s+for|sign\s+up|qualify)\b")
        .expect("takes-part regex is valid")
});

/// "me", "my", "for me", "for us", "our" in what follows the verb: the asker's own case.
static FOR_ME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:me|my|us|our)\b").expect("for-me regex is valid"));

/// "me", "us" in what follows the verb: something done to or for the asker.
static FOR_ME_OBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:me|us)\b").expect("for-me-object regex is valid"));

/// Verbs of telling, showing or sending information: a request made with them is a question.
const INFORM_VERBS: [&str; 46] = [
    "tell",
    "explain",
    "confirm",
    "clarify",
    "let",
    "advise",
    "point",
    "direct",
    "give",
    "share",
    "describe",
    "outline",
    "help",
    "say",
    "recommend",
    "suggest",
    "send",
    "provide",
    "forward",
    "email",
    "summarise",
    "summarize",
    "list",
    "signpost",
    "remind",
    "update",
    "inform",
    "answer",
    "shed",
    "fill",
    "talk",
    "run",
    "walk",
    "expand",
    "elaborate",
    "spell",
    "indicate",
    "be",
    "have",
    "know",
    "show",
    "offer",
    "find",
    "look",
    "check",
    "please",
];

/// Kinds that ask something of a person rather than for a fact: a service, the state of the
/// asker's own case, permission to change their arrangement, a consequence for their dates,
/// a credit, a deadline, a consequence of their own circumstances, a fault to fix, whether a
/// document is still current, a person by name, another scheme like the subject, how two
/// things differ, pay, evidence of an effect, plans for the future; and the items of a list by name, which an entry that counts them does not
/// give. An entry whose phrasings never ask such a thing states facts around it, so a
/// mismatch on one of these kinds is a strong sign (see [`asks_request`]).
pub const REQUEST_KINDS: [AskKind; 16] = [
    AskKind::Service,
    AskKind::Status,
    AskKind::Change,
    AskKind::Delay,
    AskKind::Credit,
    AskKind::Deadline,
    AskKind::Items,
    AskKind::Consequence,
    AskKind::Fault,
    AskKind::Currency,
    AskKind::Name,
    AskKind::Equivalent,
    AskKind::Comparison,
    AskKind::Pay,
    AskKind::Evidence,
    AskKind::Plans,
];

/// Whether `asked` includes a request kind ([`REQUEST_KINDS`]). With [`mismatch`] against an
/// entry's kinds it catches "could you post me a printed copy of the handbook?" against the
/// handbook entry, whose phrasings ask where to find it.
pub fn asks_request(asked: &[AskKind]) -> bool {
    asked.iter().any(|k| REQUEST_KINDS.contains(k))
}

/// Whether a question of kinds `asked` asks something of a person ([`REQUEST_KINDS`]) that none
/// of an entry's phrasings (`offered`) asks, even when it asks another kind they do offer:
/// "who was the RCP lead? need a name" asks who (as "who runs FPT?" does) and a name (which
/// it does not).
pub fn unmet_request(asked: &[AskKind], offered: &[AskKind]) -> bool {
    asked
        .iter()
        .any(|k| REQUEST_KINDS.contains(k) && !offered.contains(k))
}

/// Whether a question of kinds `asked` is of a kind none of an entry's phrasings (`offered`,
/// the union of their kinds) asks. Questions of no specific kind never mismatch.
pub fn mismatch(asked: &[AskKind], offered: &[AskKind]) -> bool {
    !asked.is_empty() && !asked.iter().any(|k| offered.contains(k))
}

/// A question for the person who does a task: "who is responsible for finding me a new
/// supervisor?", "who arranges a replacement?", "who's in charge of the rota for FPT days?".
/// The task is what follows, up to the end of its clause.
static TASK_OF_A_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bwho(?:['’]s|s|\s+is|\s+are|\s+will\s+be|\s+would\s+be|\s+should\s+be)?\s+(?:responsible\s+for|in\s+charge\s+of)\s+|\bwho\s+(?:will\s+|would\s+|should\s+|can\s+|do\s+i\s+ask\s+to\s+)?(?:arranges?|sorts?\s+out|organises?|organizes?|handles?|deals?\s+with|finds?|appoints?|assigns?|allocates?)\s+")
        .expect("task-of-a-person regex is valid")
});

/// Words a task asked of a person ([`TASK_OF_A_PERSON`]) may run to.
const MAX_TASK_WORDS: usize = 6;

/// The words of the task a question asks a person to do ("who is responsible for finding me a
/// new FPT supervisor?" → find, new, fpt, supervisor), as `analyzer` stems them (typos
/// corrected, stop words left out); empty when no task is asked of a person. An entry that
/// says who runs the scheme does not say who finds a supervisor: `matcher` checks that the
/// entry speaks of the task (see [`crate::matcher::Matcher`]).
pub(crate) fn task_asked(analyzer: &crate::text::Analyzer, question: &str) -> Vec<String> {
    if !question.contains(['w', 'W']) {
        return Vec::new();
    }
    let Some(m) = TASK_OF_A_PERSON.find(question) else {
        return Vec::new();
    };
    let rest = question.get(m.end()..).unwrap_or_default();
    let clause = rest
        .split([',', ';', ':', '.', '?', '!', '(', ')', '–', '—'])
        .next()
        .unwrap_or_default();
    let window: Vec<&str> = clause.split_words().take(MAX_TASK_WORDS).collect();
    // "who is in charge of it going forward?": the scheme itself, which is no task
    if window.first().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "it" | "that" | "this" | "them" | "things"
        )
    }) {
        return Vec::new();
    }
    analyzer
        .analyze(&window.join(" "), true)
        .into_iter()
        .filter(|t| !t.stop)
        .map(|t| t.stem.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_of_full_time_before_ltft_is_working_part_time() {
        for q in [
            "I'm currently working 80% LTFT, how much protected time would I get on FPT?",
            "as a 60% part-time trainee how many days would FPT give me?",
            "Is the FPT day 20% of a full-time week or 20% of my LTFT hours?",
        ] {
            assert!(ask_kinds(q).contains(&AskKind::Consequence), "{q}");
        }
        assert!(
            !ask_kinds("how much protected time does FPT give?").contains(&AskKind::Consequence)
        );
        // the general rule asked ("does it stop after a year?") is no consequence of one's own
        for general in [
            "can i carry on with fpt right up to CCT or does it stop after a yr",
            "Does the scheme just stop when the pilot finishes?",
        ] {
            assert!(
                !ask_kinds(general).contains(&AskKind::Consequence),
                "{general}"
            );
        }
    }

    #[test]
    fn pay_is_asked_of_a_person() {
        for q in [
            "Is the FPT day paid the same as a normal working day?",
            "anyone know if FPT day gets paid the same? or does it drop my banding",
            "will my salary change given that 20% of my week is non-clinical?",
            "does it affect my pension?",
        ] {
            let kinds = ask_kinds(q);
            assert!(kinds.contains(&AskKind::Pay), "{q}: {kinds:?}");
            assert!(asks_request(&kinds), "{q}");
        }
        // a funding reason asks why, not about pay
        assert!(!ask_kinds("Was it a funding thing?").contains(&AskKind::Pay));
        assert!(!ask_kinds("how much protected time does FPT give?").contains(&AskKind::Pay));
    }

    #[test]
    fn plans_for_the_future_and_funding_are_asked_of_a_person() {
        for q in [
            "Are there plans to add a leadership or global health pathway to FPT in the future?",
            "any plans for fpt to expand?",
            "will there be a new pathway one day?",
            "could they introduce a leadership strand at some point?",
        ] {
            let kinds = ask_kinds(q);
            assert!(kinds.contains(&AskKind::Plans), "{q}: {kinds:?}");
            assert!(asks_request(&kinds), "{q}");
        }
        for q in [
            "I'm interested in research in the future, what pathways are there?",
            "what are the plans for my FPT day?",
            "I've read that there are plans to expand FPT to London - do you have a date?",
            "Will there be another intake for 2023?",
            "will there be any change to how my FPT work is supervised?",
            "which pathways are there?",
        ] {
            assert!(!ask_kinds(q).contains(&AskKind::Plans), "{q}");
        }
        for q in [
            "Is the RCP still funding FPT posts now the pilot has ended?",
            "who funds the scheme?",
            "Do consultants get time in their job plan for supervising FPT trainees?",
        ] {
            assert!(ask_kinds(q).contains(&AskKind::Pay), "{q}");
        }
    }

    #[test]
    fn evidence_of_an_effect_is_asked_of_a_person() {
        for q in [
            "Has FPT actually been shown to reduce burnout? Is there any evidence?",
            "Is there evidence that FPT improves patient care?",
            "what were the results of the pilot?",
            "did the pilot actually work?",
        ] {
            let kinds = ask_kinds(q);
            assert!(kinds.contains(&AskKind::Evidence), "{q}: {kinds:?}");
            assert!(asks_request(&kinds), "{q}");
        }
        // a portfolio's evidence is not evidence of an effect
        for q in [
            "What counts as evidence for the capabilities?",
            "what evidence do I need to collect for my pathway?",
            "Is FPT meant to protect against burnout?",
        ] {
            assert!(!ask_kinds(q).contains(&AskKind::Evidence), "{q}");
        }
    }

    #[test]
    fn the_number_of_a_thing_a_moved_cct_a_pause_and_a_bare_permission_are_kinds() {
        for (text, kind) in [
            ("Number of FPT posts 2023", AskKind::Amount),
            ("what's the total number of places?", AskKind::Amount),
            (
                "does that time get added on to the end of my training?",
                AskKind::Delay,
            ),
            ("will my CCT move?", AskKind::Delay),
            ("FPT extend CCT?", AskKind::Delay),
            ("does fpt push ur CCT back??", AskKind::Delay),
            ("does fpt push cct back", AskKind::Delay),
            ("does doing FPT mean I'll CCT later?", AskKind::Delay),
            (
                "Someone said FPT counts like LTFT, so my CCT moves back by 20%.",
                AskKind::Delay,
            ),
            ("Is that allowed?", AskKind::Change),
            ("would that be permitted where I am?", AskKind::Change),
            ("is that even allowed??", AskKind::Change),
            ("Is there any way to move it?", AskKind::Change),
            (
                "can they cancel my fpt day when the ward is short staffed?",
                AskKind::Change,
            ),
            (
                "Can my FPT day be cancelled at short notice?",
                AskKind::Change,
            ),
            (
                "Can I do the medical education pathway instead of research?",
                AskKind::Change,
            ),
            (
                "got an fpt post starting aug but want to start it in feb instead, is that allowed",
                AskKind::Change,
            ),
            (
                "Is the FPT day the same day every week or can it move around?",
                AskKind::Change,
            ),
            ("Can I give it up if it isn't for me?", AskKind::Change),
            (
                "is there a way i could reschedule my interview",
                AskKind::Change,
            ),
            (
                "Does the one-year minimum pause while I'm off?",
                AskKind::Consequence,
            ),
            (
                "do I get my FPT day back when I return?",
                AskKind::Consequence,
            ),
            (
                "will that count fully towards my training time?",
                AskKind::Credit,
            ),
            (
                "Could I use the research day towards an MD?",
                AskKind::Credit,
            ),
            ("does the research pathway lead to an MD?", AskKind::Credit),
            (
                "Can I join FPT midway through ST5 rather than at recruitment?",
                AskKind::Change,
            ),
            (
                "My understanding is that the FPT day can be split into two half days.",
                AskKind::Change,
            ),
            (
                "i think i sent my supervisor form last week, did you get it?",
                AskKind::Status,
            ),
            (
                "can i keep my fpt going while im OOPR for a year?",
                AskKind::Consequence,
            ),
            (
                "Could I start the FPT pathway remotely now, while I'm still out of programme?",
                AskKind::Consequence,
            ),
            ("Can I take FPT during an OOP year?", AskKind::Consequence),
            (
                "will this create any problem for my visa sponsorship?",
                AskKind::Consequence,
            ),
            (
                "Do you know the actual date applications will open, and when they close?",
                AskKind::Deadline,
            ),
            (
                "the exact dates the 2023 FPT application window opens and closes?",
                AskKind::Deadline,
            ),
            (
                "does the minimum year restart when I come back?",
                AskKind::Consequence,
            ),
            (
                "Would the FPT day carry across to the new trust?",
                AskKind::Change,
            ),
            (
                "Are chief registrars eligible to do FPT alongside the chief registrar role?",
                AskKind::Change,
            ),
            ("Could I join FPT when I come back?", AskKind::Consequence),
            (
                "A colleague said FPT doesn't transfer between regions and I'd have to drop it.",
                AskKind::Consequence,
            ),
            ("will I need to give up my pathway?", AskKind::Consequence),
            (
                "My TPD says FPT can't transfer between regions - correct me if I'm wrong?",
                AskKind::Consequence,
            ),
            (
                "Does doing FPT affect how my ARCP is assessed?",
                AskKind::Consequence,
            ),
            (
                "can I keep my FPT if I go out of programme for research next year?",
                AskKind::Consequence,
            ),
            (
                "Whether I can continue FPT next year or I will be removed?",
                AskKind::Consequence,
            ),
            (
                "could I do the research pathway in my OOPR?",
                AskKind::Consequence,
            ),
        ] {
            assert!(
                ask_kinds(text).contains(&kind),
                "{text}: {:?}",
                ask_kinds(text)
            );
        }
        // the options asked, not a change: "is it only research or can I do teaching
        // instead?" is answered by the list of pathways
        for options in [
            "is it only research or can i do teaching stuff instead",
            "Is research the only option or could I do something on the QI side instead?",
        ] {
            assert!(!ask_kinds(options).contains(&AskKind::Change), "{options}");
        }
        // another scheme like the subject; "anything like that" (of that kind) and "the
        // equivalent of 20% of your time" are not
        for text in [
            "Is there an equivalent of FPT in Scotland, or can I join the English scheme?",
            "is there anything like fpt for GP trainees? asking for me lol",
            "Is FPT like the surgical Flexible Training scheme or the ICM dual scheme?",
            "Is there an equivalent portfolio scheme for psychiatry, and who runs it?",
            "Is FPT (or anything like it) offered to trainees in Scotland?",
            "If not, is there anything similar?",
            "fpt equivalent for surgical trainees?",
        ] {
            assert!(
                ask_kinds(text).contains(&AskKind::Equivalent),
                "{text}: {:?}",
                ask_kinds(text)
            );
        }
        for text in [
            "my supervisor asked if there's a standard template. Is there anything like that?",
            "is it one day a week or the equivalent of 20% of my time?",
            "does it affect my pay - banding, on-call supplement, anything like that?",
        ] {
            assert!(
                !ask_kinds(text).contains(&AskKind::Equivalent),
                "{text}: {:?}",
                ask_kinds(text)
            );
        }
        // how two things differ; a difference noticed, or a region's own way, is not
        for text in [
            "what's actually the difference between the QI and research pathways? they sound kind of the same",
            "How is FPT different from a chief registrar post?",
            "How does FPT compare with the RCP's Chief Registrar programme?",
            "fpt vs LTFT - which is better for wellbeing?",
            "is there any difference between doing the research pathway and going OOPR?",
            "Is the FPT day different from a study day?",
            "Does the FPT day differ from normal study leave?",
            "Is FPT the same as flexible training?",
            "are FPT and LTFT the same thing?",
            "is fpt basically the same as less than full time training",
        ] {
            assert!(
                ask_kinds(text).contains(&AskKind::Comparison),
                "{text}: {:?}",
                ask_kinds(text)
            );
        }
        for text in [
            "my mate does fpt in another deanery and hers sounds totally different to mine?? why isnt it the same everywhere",
            "is fpt the same in every region or does it differ",
            "whats the split clinical vs non clinical on flexi portfolio?",
            "How is it different from what I was told at interview?",
            "is it the same as what my friend was told?",
            "is the FPT day the same every week?",
            "I've seen FPT described as '20% time'. Is that the same thing as a day each week?",
            "I want to compare QI and clinical informatics before choosing - are the pathways described anywhere?",
        ] {
            assert!(
                !ask_kinds(text).contains(&AskKind::Comparison),
                "{text}: {:?}",
                ask_kinds(text)
            );
        }
        // "a number of" is several, not a count asked for
        assert!(!ask_kinds("I have a number of questions about FPT").contains(&AskKind::Amount));
        assert!(ask_kinds(
            "could you send me the name and email address of the FPT lead for our region?"
        )
        .contains(&AskKind::Name));
        assert!(
            ask_kinds("Could you tell me who the regional FPT lead is for us?")
                .contains(&AskKind::Name)
        );
        assert!(
            ask_kinds("Who is the named contact at the Royal College of Physicians for FPT?")
                .contains(&AskKind::Name)
        );
        assert!(
            ask_kinds("Which named person at the RCP was responsible for the FPT pilot?")
                .contains(&AskKind::Name)
        );
        assert!(
            ask_kinds("Who was on the Enhancing Junior Doctors' Working Lives working group?")
                .contains(&AskKind::Name)
        );
        assert!(
            ask_kinds("Who are the other trainees in the 2022 FPT cohort?")
                .contains(&AskKind::Name)
        );
        // (whether there is one asks the way to them, which an entry may give)
        assert!(!ask_kinds("is there a named person per region?").contains(&AskKind::Name));
        // how to find out who it is asks the way, which an entry may give
        assert!(
            !ask_kinds("how do i find out who the fpt lead is where i am").contains(&AskKind::Name)
        );
        assert!(ask_kinds(
            "been waiting 4 wks for a reply from the fpt mailbox. is anyone actually checking it??"
        )
        .contains(&AskKind::Status));
        // asking for a description is no procedure
        assert!(!ask_kinds("how would u explain it in one line").contains(&AskKind::Procedure));
        assert!(ask_kinds("how would I apply for it?").contains(&AskKind::Procedure));
        // keeping it going because it works asks how long it can last, not a consequence
        assert!(!ask_kinds("can you keep it going if it's working well?")
            .contains(&AskKind::Consequence));
        // permission asked of a named thing is not a bare "is that allowed?"
        assert!(!ask_kinds("is that allowed for surgical trainees too?").contains(&AskKind::Change));
    }

    #[test]
    fn asking_the_reader_to_act_is_a_service() {
        for request in [
            "Could somebody chase this up for me please?",
            "can you add an fpt post to my preferences?",
            "would someone please book me onto the induction",
            "can anyone chase up my application for me?",
            "could someone in the office update my record?",
            "Could someone from HEE update the QI pathway document on the website?",
            "can anyone sign me up for fpt?",
            // asked in the passive: to be put in touch, added, signed up
            "Would it be possible to be put in touch with an FPT trainee on that pathway?",
            "could I be added to the supervisors' mailing list?",
        ] {
            assert!(ask_kinds(request).contains(&AskKind::Service), "{request}");
        }
        // asking to be told or shown something is a question; a bare "can you" is anyone
        for question in [
            "Could you tell me who runs FPT?",
            "can you point me to the QI pathway document?",
            "could someone explain what the pathways are?",
            "can you switch pathway halfway through?",
            "can you do fpt if you're ltft?",
            // whether anyone may take part (do it, apply, join, be eligible), not a request
            "is fpt only for med regs or can anyone in hst do it eg surgery",
            "can anybody apply?",
            "could someone from another specialty join?",
            "is FPT only for registrars, or could someone still in IMT apply?",
            "Would someone in my specialty be eligible?",
            "could I be allocated a different pathway?",
        ] {
            assert!(
                !ask_kinds(question).contains(&AskKind::Service),
                "{question}"
            );
        }
    }

    #[test]
    fn question_words_give_the_kind_of_answer() {
        // (question, the kinds of answer it asks for)
        for (question, kinds) in [
            ("How many days a week?", &[AskKind::Amount][..]),
            ("how do I change pathway?", &[AskKind::Procedure][..]),
            (
                "How does a trust go about becoming an FPT host?",
                &[AskKind::Procedure][..],
            ),
            ("how does fpt benefit trusts", &[][..]),
            (
                "How does FPT help with trainee wellbeing and morale?",
                &[][..],
            ),
            ("who's in charge now?", &[AskKind::Person][..]),
            ("When did the cohort start?", &[AskKind::Time][..]),
            ("which day of the week is FPT?", &[AskKind::Time][..]),
            (
                "who was the rcp lead for the fpt pilot? need a name for my essay",
                &[AskKind::Person, AskKind::Name][..],
            ),
            (
                "Who is the best person to send my questions to?",
                &[AskKind::Person][..],
            ),
            // a person asked for by what they did
            (
                "Who chaired the working group that set FPT up?",
                &[AskKind::Person, AskKind::Name][..],
            ),
            // people asked for by their role
            (
                "which consultants there supervise fpt on the med ed pathway?",
                &[AskKind::Person][..],
            ),
            ("which pathway do consultants supervise?", &[][..]),
            (
                "who was the rcp lead for the fpt pilot?",
                &[AskKind::Person, AskKind::Name][..],
            ),
            // "when" as a conjunction asks no time
            (
                "could candidates see which posts were FPT when they were ranking?",
                &[][..],
            ),
            (
                "Do you know when the 2023 details come out?",
                &[AskKind::Time][..],
            ),
            ("when fpt start", &[AskKind::Time][..]),
            (
                "Is there a date yet for when FPT posts will be available here?",
                &[AskKind::Time][..],
            ),
            (
                "Could someone please send me a letter confirming that I'm on FPT?",
                &[AskKind::Service][..],
            ),
            (
                "can you sign my FPT application form",
                &[AskKind::Service][..],
            ),
            (
                "can you send the forms in Word format? the pdf is locked",
                &[AskKind::Service][..],
            ),
            (
                "the link to the pathway documents doesn't work, can you mail them?",
                &[AskKind::Fault][..],
            ),
            (
                "could I use my research pathway day to fund an MSc?",
                &[AskKind::Change][..],
            ),
            (
                "does my fpt year count towards cct?",
                &[AskKind::Credit][..],
            ),
            // what the day can be put towards is what it counts for
            (
                "can fpt research day be used towards a phd / md?",
                &[AskKind::Credit][..],
            ),
            (
                "For the rota template, is that day meant to count as clinical time, or is it protected non-clinical time?",
                &[][..],
            ),
            (
                "does fpt count as clinical time for the purposes of my on-call allowance?",
                &[AskKind::Credit][..],
            ),
            (
                "what are the six capabilities? need the names for my PDP",
                &[AskKind::Items][..],
            ),
            ("can u list them", &[AskKind::Items][..]),
            (
                "The link to the handbook gives me a 404 error. Could you email me a copy?",
                &[AskKind::Fault][..],
            ),
            (
                "the link just gives me a 'page not found' error",
                &[AskKind::Fault][..],
            ),
            (
                "still no reply from the FPT mailbox after 3 weeks, who else can I contact?",
                &[AskKind::Person, AskKind::Fault][..],
            ),
            (
                "The FPT posts weren't visible when I ranked. What should I do now?",
                &[AskKind::Procedure, AskKind::Fault][..],
            ),
            (
                "What can I do about this?",
                &[AskKind::Procedure, AskKind::Fault][..],
            ),
            (
                "is the faq 2021 doc still up to date? some bits look old",
                &[AskKind::Currency][..],
            ),
            (
                "Could I do a leadership fellowship alongside FPT, or use my FPT day for it?",
                &[AskKind::Change][..],
            ),
            (
                "got an outcome 3 at arcp, will i be kicked off fpt?",
                &[AskKind::Consequence][..],
            ),
            (
                "does my day stay protected on a week of nights, or do I just lose it?",
                &[AskKind::Consequence][..],
            ),
            (
                "I got an outcome 2 at ARCP. Can I still carry on with FPT into ST6?",
                &[AskKind::Consequence][..],
            ),
            (
                "my supervisor has left and I would like to arrange a replacement",
                &[AskKind::Change][..],
            ),
            (
                "got an outcome 3 at arcp last week... am i off fpt now?",
                &[AskKind::Consequence][..],
            ),
            (
                "i know fpt is 1 day a wk but do i get to pick which day?",
                &[AskKind::Change][..],
            ),
            (
                "can my fpt day be moved to fridays?",
                &[AskKind::Change][..],
            ),
            (
                "Does the FPT day have to be the same weekday every week?",
                &[AskKind::Change][..],
            ),
            (
                "can i do a phd through the research pathway",
                &[AskKind::Change][..],
            ),
            (
                "if i get an outcome 3 at arcp do i lose fpt straight away",
                &[AskKind::Consequence][..],
            ),
            (
                "im pregnant, what happens to my fpt during mat leave?",
                &[AskKind::Consequence][..],
            ),
            (
                "Would taking up FPT affect my visa sponsorship in any way?",
                &[AskKind::Consequence][..],
            ),
            (
                "would a non-clinical day cause any problem with my sponsorship conditions?",
                &[AskKind::Consequence][..],
            ),
            (
                "If I'm 60% LTFT, is my FPT time 20% of 60% or still one day a week?",
                &[AskKind::Consequence][..],
            ),
            (
                "would the protected day be pro-rata'd?",
                &[AskKind::Consequence][..],
            ),
            (
                "would an outcome 2 kick me off it",
                &[AskKind::Consequence][..],
            ),
            ("what r the 4 pathways", &[AskKind::Items][..]),
            (
                "What counts as evidence for the capabilities?",
                &[AskKind::Credit][..],
            ),
            (
                "does doing fpt push back my CCT date",
                &[AskKind::Delay][..],
            ),
            ("will FPT extend my training?", &[AskKind::Delay][..]),
            (
                "Also, can I take my FPT day as two half-days?",
                &[AskKind::Change][..],
            ),
            (
                "can I drop it before the year's up?",
                &[AskKind::Change][..],
            ),
            (
                "If I take on FPT, does that mean my CCT gets extended?",
                &[AskKind::Delay][..],
            ),
            (
                "If I do FPT for the rest of my training, will my CCT date be extended?",
                &[AskKind::Delay][..],
            ),
            (
                "does doing fpt push my cct date back?",
                &[AskKind::Delay][..],
            ),
            (
                "Could someone please complete the attached form?",
                &[AskKind::Service][..],
            ),
            (
                "Could someone from the FPT team sign my end-of-year supervisor meeting form?",
                &[AskKind::Service][..],
            ),
            (
                "Could you post me a printed copy of the Trainees FPT Handbook?",
                &[AskKind::Service][..],
            ),
            (
                "can i carry over my fpt day if im on nights that week",
                &[AskKind::Change][..],
            ),
            (
                "Am I allowed to do my FPT day working from home?",
                &[AskKind::Change][..],
            ),
            (
                "my fpt day keeps getting cancelled for ward cover, what do i do",
                &[AskKind::Procedure][..],
            ),
            (
                "i submitted my supervisor meeting form 3 weeks ago, has anyone looked at it yet?",
                &[AskKind::Status][..],
            ),
            (
                "Any update on my pathway change request?",
                &[AskKind::Status][..],
            ),
            (
                "Still waiting to hear back about my FPT application - any update please?",
                &[AskKind::Status][..],
            ),
            (
                "just chasing my earlier email about FPT in London - any news?",
                &[AskKind::Status][..],
            ),
            (
                "Could you please look into my application and tell me what went wrong?",
                &[AskKind::Status][..],
            ),
            (
                "can someone check my form before I send it",
                &[AskKind::Status][..],
            ),
            (
                "What's the closing date for FPT applications for 2023?",
                &[AskKind::Deadline][..],
            ),
            (
                "when is the deadline to rank posts?",
                &[AskKind::Time, AskKind::Deadline][..],
            ),
            (
                "What was the exact date that management handed over to HEE?",
                &[AskKind::Time][..],
            ),
            (
                "What does FPT aim to do, and has it achieved that?",
                &[AskKind::Evidence][..],
            ),
            (
                "Which FPT pathway is best for getting a consultant job?",
                &[AskKind::Comparison][..],
            ),
            ("which pathways are there?", &[][..]),
            ("is there a list of resources?", &[][..]),
            ("is FPT done alongside clinical training?", &[][..]),
            ("is FPT still a pilot?", &[][..]),
            ("what happens after my first year on fpt?", &[][..]),
            ("what are the capabilities made of?", &[][..]),
            ("is it in London?", &[][..]),
            ("could you send me the pathway documents?", &[][..]),
            ("do I need to complete the meeting form?", &[][..]),
            ("does the change to HEE affect me?", &[][..]),
            ("could you confirm whether FPT runs in Wessex?", &[][..]),
            ("does informatics count as one of the pathways", &[][..]),
            ("does clinical informatics count as a pathway?", &[][..]),
            ("would leadership count as an FPT option?", &[][..]),
            (
                "is the fpt day counted as clinical or non clinical?",
                &[][..],
            ),
            (
                "does the FPT day count as a clinical or a non-clinical day?",
                &[][..],
            ),
            ("is the FPT day counted as clinical time or not?", &[][..]),
            (
                "is the day counted as clinical time, or is it kept separate from clinical work?",
                &[][..],
            ),
            ("any news on the next fpt round", &[][..]),
            (
                "when it comes to ranking, will it be obvious which posts include FPT?",
                &[][..],
            ),
            (
                "how much of the week would be taken out of clinical work?",
                &[AskKind::Amount][..],
            ),
            (
                "my TPD says one year, my ES says two. who's right?",
                &[][..],
            ),
        ] {
            assert_eq!(ask_kinds(question), kinds, "{question}");
        }
        // a kind the question does not ask for although its words are near it
        for (question, not) in [
            ("where is the link to the handbook?", AskKind::Service),
            ("what can I use the FPT day for?", AskKind::Change),
        ] {
            assert!(!ask_kinds(question).contains(&not), "{question}");
        }
    }

    #[test]
    fn a_specific_ask_no_phrasing_offers_is_a_mismatch() {
        let offered = ask_kinds("Which pathways are there? What are the options?");
        assert!(mismatch(&ask_kinds("how do I switch pathway?"), &offered));
        assert!(!mismatch(&ask_kinds("what pathways are there?"), &offered));
        let offered = ask_kinds("How much time do I get? What share of the week?");
        assert!(!mismatch(
            &ask_kinds("how much non clinical time?"),
            &offered
        ));
    }

    #[test]
    fn the_task_asked_of_a_person_is_read() {
        let a = crate::text::Analyzer::default();
        let task = task_asked(
            &a,
            "Who is responsible for finding me a new FPT supervisor?",
        );
        assert!(task.iter().any(|w| w.starts_with("supervis")), "{task:?}");
        assert!(!task_asked(
            &a,
            "who arranges a replacement, and will my project change?"
        )
        .is_empty());
        assert!(task_asked(&a, "Who runs FPT now?").is_empty());
        assert!(task_asked(&a, "what is FPT responsible for?").is_empty());
        // the scheme pointed at is no task
        assert!(task_asked(&a, "and who is in charge of it going forward?").is_empty());
    }
}
