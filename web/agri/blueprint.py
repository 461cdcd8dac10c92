"""The agriculture blueprint (issue 11): growers' questions, the expert inbox, pushes."""

from flask import Blueprint

bp = Blueprint("agri", __name__, url_prefix="/agri")
