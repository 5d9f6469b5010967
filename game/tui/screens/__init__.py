"""The game's screens, one per file. A screen is handed the session and its lab, reads
the play layer's views and hands decisions to the session; no game rule lives here. A
refused decision shows its reason in place and changes nothing."""

from game.tui.screens.book import BookScreen
from game.tui.screens.deals import DealsScreen
from game.tui.screens.dialogs import ConfirmScreen, HandoverScreen, QuitScreen
from game.tui.screens.finance import FinanceScreen
from game.tui.screens.forecast import ForecastScreen
from game.tui.screens.game_over import GameOverScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.hq import HQScreen
from game.tui.screens.ledger import LedgerScreen
from game.tui.screens.market import MarketScreen
from game.tui.screens.news import NewsScreen
from game.tui.screens.rivals import RivalsScreen
from game.tui.screens.sites import SitesScreen
from game.tui.screens.title import TitleScreen
from game.tui.screens.training import TrainingScreen

__all__ = [
    "BookScreen", "ConfirmScreen", "DealsScreen", "FinanceScreen", "ForecastScreen", "GameOverScreen",
    "HQScreen", "HandoverScreen", "HelpScreen", "LedgerScreen", "MarketScreen", "NewsScreen", "QuitScreen", "RivalsScreen",
    "SitesScreen", "TitleScreen", "TrainingScreen",
]  # fmt: skip
