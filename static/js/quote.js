// Live quote on the booking form: as answers change, ask the server for tariff group,
// priority, price and reasons, and offer the confirm button for exactly these answers.
// Without JavaScript the form works the same way through "Bereken prijs en voorrang".
(function () {
  "use strict";
  const form = document.querySelector("form.booking-form");
  if (!form) return;
  const panel = document.getElementById("quote");
  const yes = (name) => (form.querySelector(`input[name="${name}"]:checked`) || {}).value === "ja";
  const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");

  function euroToCents(text) {
    const clean = text.replace(/€|\s/g, "").replace(/\./g, "").replace(",", ".");
    if (clean === "") return 0;
    const amount = Number(clean);
    return Number.isFinite(amount) && amount >= 0 ? Math.round(amount * 100) : null;
  }

  function request() {
    const day = value("day"), start = value("start_time"), end = value("end_time");
    const cents = euroToCents(value("contribution"));
    if (!day || !start || !end || cents === null || !value("organiser_kind")) return null;
    const body = {
      room_id: Number(form.dataset.roomId),
      start: `${day}T${start}`,
      end: `${day}T${end}`,
      activity: {
        organiser_kind: value("organiser_kind"),
        open_to_all: yes("open_to_all"),
        membership_required: yes("membership_required"),
        contribution_cents: cents,
        profit_making: yes("profit_making"),
        subsidised: yes("subsidised"),
        mainly_meeting: yes("mainly_meeting"),
        gives_in_return: yes("gives_in_return"),
      },
    };
    if (value("repeat") && value("until")) {
      body.recurrence = { freq: value("repeat"), interval: Number(value("interval") || 1), until: value("until") };
    }
    return body;
  }

  function element(tag, text) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(quote) {
    const heading = panel.querySelector("h2");
    panel.replaceChildren(heading);
    if (quote.problems.length) {
      const box = element("div");
      box.className = "flash flash-error";
      const list = element("ul");
      quote.problems.forEach((p) => list.append(element("li", p)));
      box.append(list);
      panel.append(box);
    }
    const facts = element("dl");
    facts.className = "quote-facts";
    [[form.dataset.labelGroup, quote.tariff_group_label], [form.dataset.labelClass, quote.priority_class_label],
     [form.dataset.labelPrice, quote.amount], [form.dataset.labelStatus, quote.status_label]].forEach(([term, desc]) => {
      facts.append(element("dt", term), element("dd", desc));
    });
    panel.append(facts);
    const reasons = element("ul");
    reasons.className = "reasons";
    quote.reasons.forEach((r) => reasons.append(element("li", r)));
    panel.append(reasons);
    if (quote.outcomes) renderOutcomes(quote);
    form.elements.quote_token.value = quote.quote_token;
    if (form.elements.shown_outcomes) form.elements.shown_outcomes.value = quote.calendar_token || "";
    let confirm = document.getElementById("bevestig");
    if (quote.problems.length || quote.bookable_dates === 0) {
      if (confirm) confirm.remove();
      return;
    }
    if (!confirm) {
      confirm = element("button", form.dataset.labelConfirm);
      confirm.type = "submit";
      confirm.name = "action";
      confirm.value = "confirm";
      confirm.className = "button";
      confirm.id = "bevestig";
      form.querySelector(".actions").append(confirm);
    }
  }

  // What the calendar says per date (the server's outcomes; the page without JavaScript
  // shows the same list from templates/rooms/_outcomes.html).
  const zone = "Europe/Amsterdam";
  const lang = document.documentElement.lang || "nl";
  const when = new Intl.DateTimeFormat(lang, { timeZone: zone, dateStyle: "full", timeStyle: "short" });
  const clock = new Intl.DateTimeFormat(lang, { timeZone: zone, timeStyle: "short" });
  const d = form.dataset;

  function localIso(iso) {
    const parts = {};
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(iso)).forEach((p) => { parts[p.type] = p.value; });
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  }

  function span(item) {
    return `${when.format(new Date(item.start))}–${clock.format(new Date(item.end))}`;
  }

  function alternativeLink(alt) {
    const args = new URLSearchParams({ start: localIso(alt.start), end: localIso(alt.end) });
    ["title", "organiser_kind", "contribution"].forEach((name) => { if (value(name)) args.set(name, value(name)); });
    ["open_to_all", "membership_required", "profit_making", "subsidised", "mainly_meeting", "gives_in_return"]
      .forEach((name) => {
        const checked = form.querySelector(`input[name="${name}"]:checked`);
        if (checked) args.set(name, checked.value);
      });
    if (form.elements.public && form.elements.public.checked) args.set("public", "y");
    const link = element("a", `${alt.room}, ${alt.house_name}: ${span(alt)}`);
    link.href = `${d.bookUrl.replace(/\/0\/boeken$/, `/${alt.room_id}/boeken`)}?${args}`;
    return link;
  }

  function renderOutcomes(quote) {
    const heading = element("h3", d.labelAgenda);
    heading.id = "agenda-kop";
    panel.append(heading);
    if (quote.outcomes.length > 1) {
      panel.append(element("p", d.labelBookable.replace("{bookable}", quote.bookable_dates)
        .replace("{total}", quote.outcomes.length)));
    }
    quote.series_problems.forEach((p) => panel.append(element("p", p)));
    const list = element("ol");
    list.className = "outcomes";
    list.setAttribute("aria-labelledby", "agenda-kop");
    quote.outcomes.forEach((o) => {
      const item = element("li");
      item.className = `outcome outcome-${o.outcome}`;
      item.append(element("strong", span(o)), ": ", element("span", o.label));
      const details = element("ul");
      o.displaces.forEach((b) => details.append(element("li", `${d.labelDisplaces}: ${b.title || d.labelPrivate}, ${span(b)}`)));
      o.taken_by.forEach((b) => details.append(element("li", `${d.labelTaken}: ${b.title || d.labelPrivate}, ${span(b)}`)));
      o.reasons.forEach((r) => details.append(element("li", r)));
      if (o.alternatives.length) {
        const options = element("li", d.labelAlternatives);
        const links = element("ul");
        o.alternatives.forEach((alt) => { const li = element("li"); li.append(alternativeLink(alt)); links.append(li); });
        options.append(links);
        details.append(options);
      }
      if (details.children.length) item.append(details);
      list.append(item);
    });
    panel.append(list);
  }

  let timer = null;
  let sequence = 0;
  function refresh() {
    const body = request();
    if (!body) return;
    const mine = ++sequence;
    fetch(form.dataset.quoteUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((quote) => { if (quote && mine === sequence) render(quote); })
      .catch(() => {});
  }

  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 350); });
  form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(refresh, 150); });
})();
