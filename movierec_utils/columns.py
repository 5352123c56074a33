"""Column names shared by every function of the package.

They are the names MovieLens uses in its CSV files, so a frame read from any
variant works with every function without renaming.
"""

USER_COL = "userId"
ITEM_COL = "movieId"
RATING_COL = "rating"
TIMESTAMP_COL = "timestamp"
TITLE_COL = "title"
GENRES_COL = "genres"
PREDICTION_COL = "prediction"

# Integer indices added by the id encoders (see movierec_utils.encoding).
USER_INDEX_COL = "user"
ITEM_INDEX_COL = "movie"
