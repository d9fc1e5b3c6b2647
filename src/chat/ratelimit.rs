//! Per-user rate limit over a sliding minute: over the limit a user gets one notice, then
//! silence until the window has room again.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Above this many tracked users, idle ones are dropped.
const PRUNE_AT: usize = 10_000;

/// What to do with one more question from a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateDecision {
    Allow,
    /// Over the limit for the first time in this stretch: tell them once.
    Notify,
    /// Over the limit and already told.
    Silent,
}

#[derive(Debug, Default)]
struct UserWindow {
    hits: VecDeque<Instant>,
    notified: bool,
}

/// Sliding-window counter per user id.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: usize,
    users: HashMap<u64, UserWindow>,
}

impl RateLimiter {
    /// `per_minute = 0` disables the limit.
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute: per_minute as usize,
            users: HashMap::new(),
        }
    }

    /// Counts a question from `user` at `now` and says whether to answer it.
    pub fn check(&mut self, user: u64, now: Instant) -> RateDecision {
        if self.per_minute == 0 {
            return RateDecision::Allow;
        }
        if self.users.len() > PRUNE_AT {
            self.users.retain(|_, w| {
                w.hits
                    .back()
                    .is_some_and(|t| now.saturating_duration_since(*t) < WINDOW)
            });
        }
        let w = self.users.entry(user).or_default();
        while w
            .hits
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            w.hits.pop_front();
        }
        if w.hits.len() < self.per_minute {
            w.hits.push_back(now);
            w.notified = false;
            RateDecision::Allow
        } else if w.notified {
            RateDecision::Silent
        } else {
            w.notified = true;
            RateDecision::Notify
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_question_in_a_minute_gets_one_notice_then_silence() {
        let mut r = RateLimiter::new(5);
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(r.check(1, t0 + Duration::from_secs(i)), RateDecision::Allow);
        }
        assert_eq!(
            r.check(1, t0 + Duration::from_secs(6)),
            RateDecision::Notify
        );
        assert_eq!(
            r.check(1, t0 + Duration::from_secs(7)),
            RateDecision::Silent
        );
        assert_eq!(r.check(2, t0 + Duration::from_secs(7)), RateDecision::Allow);
        assert_eq!(
            r.check(1, t0 + Duration::from_secs(61)),
            RateDecision::Allow
        );
        assert_eq!(RateLimiter::new(0).check(1, t0), RateDecision::Allow);
    }
}
