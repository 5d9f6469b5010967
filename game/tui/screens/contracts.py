"""The deals screen's talks and contracts: an offer reviewed before it is sent, the
partner's answer (a counter reviewed at once), the contract an amendment is for, an
amendment proposed, a contract left. DealsScreen builds its form on this."""

from __future__ import annotations

from collections.abc import Callable

import attrs
from textual import on
from textual.widgets import Button, DataTable, Input, Label

from game.play import decisions, review, views
from game.play.book import OfferReply
from game.play.decisions import Refused
from game.play.words import cents_up
from game.saves import Offer
from game.tui.format import count, parse_number
from game.tui.screens import reviews
from game.tui.screens.base import FormScreen
from game.tui.screens.dialogs import ReviewScreen
from game.tui.widgets import partner as partner_facts


class ContractTalks(FormScreen):
    """Talks with partners, and the lab's contracts (the `#contracts` table, the amend
    fields of widgets/partner.py): the parts of the deals form that are not the offer."""

    _target: str | None = None  # the contract an amendment is for (its slot)

    def _review(self, terms: reviews.Review, send: Callable[[], None]) -> None:
        """Show a binding step's terms; `send` takes it if the player says yes."""

        def answer(yes: bool | None) -> None:
            if yes:
                send()
            else:
                self.say("Not sent: nothing changed.")

        self.app.push_screen(ReviewScreen(*terms, enter_sends=False), answer)

    def _answered(
        self, words: str, counter: reviews.Review | None = None, accept: Callable[[], None] | None = None
    ) -> None:
        """The partner's answer in the message bar; a counter's terms are filled in and
        reviewed at once: y accepts them (a second review of its own terms took Enter
        and y more at every counter), n leaves them in the form to change."""
        self.refresh_view()  # first: the answer is scrolled into sight after the page settles
        if counter is None:
            self.say(words)
            return
        self.say(words + "  (their terms are filled in: Enter reviews them again)")
        self.hold_message()

        def answer(yes: bool | None) -> None:
            if yes and accept is not None:
                accept()
            else:
                self.say(
                    words + "  (not accepted: their terms are filled in to change, or Enter to review again)"
                )

        self.app.push_screen(ReviewScreen(*counter, enter_sends=False), answer)

    def _talk(self, offer: Offer) -> OfferReply | None:
        try:
            return self.session.offer(self.lab, offer)
        except Refused as err:
            self.say(str(err), failed=True)
            return None

    def _show_amend_facts(self) -> None:
        """What the partner would ask for the amendment as typed (widgets/partner.py)."""
        if self.query("#amend-facts"):
            c = self._contract(self._target)
            self.show(
                "amend-facts",
                partner_facts.amendment(self.turn, c, self.text("more-gpus"), self.text("more-weeks")),
            )
            if self.focused is not None and self.focused.id in ("more-gpus", "more-weeks", "more-price"):
                self.call_after_refresh(self.query_one("#amend-facts").scroll_visible, animate=False)

    @on(DataTable.RowHighlighted, "#contracts")
    def _contract_price(self, event: DataTable.RowHighlighted) -> None:
        """The contract an amendment is for: the one the player selects, kept when the
        table is refilled after an answer. Its price starts at the contract's own (the
        default $2.50 more than doubled an A100 contract's $0.96)."""
        if event.data_table.has_focus and event.row_key.value != self._target:
            self._retarget(event.row_key.value)
        # else the table was refilled after an answer (the player is in the form): no choice made

    def _retarget(self, key: str | None) -> None:
        self._target = key
        c = self._contract(key)
        if c is not None and self.query("#more-price"):
            with self.prevent(Input.Changed):
                self.query_one("#more-price", Input).value = f"{c.price:.2f}"
        self._show_target()

    def _contract(self, key: str | None) -> views.ContractView | None:
        return next((c for c in views.contracts_view(self.turn) if str(c.slot) == key), None)

    def _show_target(self) -> None:
        c = self._contract(self._target)
        if self.query("#amend-target"):
            what = (
                f"Or amend contract {c.slot} ({c.partner}, {count(c.count)} {c.gpu}, until {c.end_date:%b %Y}):"
                if c is not None
                else "Or amend the selected contract (same partner and GPUs):"
            )
            self.query_one("#amend-target", Label).update(what)
        self._show_amend_facts()

    def _selected(self) -> views.ContractView | None:
        """The contract the player chose (kept when the table is refilled)."""
        if not views.contracts_view(self.turn):
            self.say("You have no contract.", failed=True)
            return None
        return self._contract(self._target)

    @on(Button.Pressed, "#amend")
    def _amend(self) -> None:
        contract = self._selected()
        if contract is None:
            return
        try:
            offer = Offer(
                partner=contract.partner_id,
                contract=contract.slot,
                count=int(
                    parse_number(
                        self.text("more-gpus"), "GPUs to add", 0, decisions.MAX_ORDER_GPUS, integer=True
                    )
                ),
                weeks=int(
                    parse_number(
                        self.text("more-weeks"), "weeks to add", 0, decisions.MAX_TERM_WEEKS, integer=True
                    )
                ),
                price=parse_number(self.text("more-price"), "price", 0.01, decisions.MAX_PRICE_USD_HOUR),
            )
        except Refused as err:
            self.say(str(err), failed=True)
            return
        terms = review.rental_terms(self.turn, offer)
        self._review(reviews.rental(terms), lambda: self._propose(offer))

    def _propose(self, offer: Offer) -> None:
        reply = self._talk(offer)
        if reply is None:
            return
        if reply.answer == "counter":
            self.fill(**{"more-gpus": str(reply.count), "more-price": f"{cents_up(reply.price):.2f}"})
            countered = attrs.evolve(offer, count=reply.count, price=float(f"{cents_up(reply.price):.2f}"))
            self._rental_counter(reply, countered, self._propose)
            return
        self._answered(reply.words)

    def _rental_counter(self, reply: OfferReply, countered: Offer, again: Callable[[Offer], None]) -> None:
        """A rental's (or an amendment's) counter: its review at once; yes sends it back."""
        terms = review.rental_terms(self.turn, countered)
        self._answered(reply.words, reviews.rental(terms, counter=True, heard=reply.words), lambda: again(countered))

    @on(Button.Pressed, "#exit")
    def _exit(self) -> None:
        contract = self._selected()
        if contract is not None:
            self.submit(decisions.LeaveContract(contract.slot))
