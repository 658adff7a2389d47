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
    form.elements.quote_token.value = quote.quote_token;
    let confirm = document.getElementById("bevestig");
    if (quote.problems.length) {
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
