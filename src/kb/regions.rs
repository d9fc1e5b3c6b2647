//! Regions, their leads and the places that identify them (`faq/regions.toml`).

use serde::Deserialize;

/// Who receives a routed enquiry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Contact {
    pub name: String,
    pub email: String,
    /// Discord user or role id to mention in the leads channel.
    #[serde(default)]
    pub discord_id: String,
}

/// One region (an HEE local office) and how to recognise it in an enquiry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Region {
    pub id: String,
    pub name: String,
    /// Other names of the region itself ("KSS", "Yorkshire and the Humber").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Sender email domains that identify the region.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Cities, towns, hospitals and trusts, as people write them.
    #[serde(default)]
    pub places: Vec<String>,
    /// Places that are also ordinary words: matched only when capitalised as listed.
    #[serde(default)]
    pub ambiguous: Vec<String>,
    pub lead: Contact,
}

/// The regions file: the admin team (for enquiries with no region) and every region.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Regions {
    #[serde(default)]
    pub admin_team: Contact,
    #[serde(default, rename = "region")]
    pub regions: Vec<Region>,
    /// Places where the scheme does not run ("Scotland", "Wales", their cities and training
    /// bodies): a question that asks about the scheme *in* one of them is one the base
    /// cannot answer, and goes to the admin team. Whole words, case-insensitive.
    #[serde(default)]
    pub outside: Vec<String>,
}

impl Regions {
    pub fn get(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// The lead for a region, or the admin team when the region is unknown or unset.
    pub fn contact_for(&self, region: Option<&str>) -> &Contact {
        region
            .and_then(|id| self.get(id))
            .map(|r| &r.lead)
            .unwrap_or(&self.admin_team)
    }
}
