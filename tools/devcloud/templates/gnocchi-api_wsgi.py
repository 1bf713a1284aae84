import sys
# gnocchi's own wsgi module reads /etc/gnocchi: the command line names this cloud's file instead
sys.argv = ["gnocchi-api", "--config-file", "${ETC}/gnocchi/gnocchi.conf"]
from gnocchi.cli import api
from gnocchi.rest import app
application = app.load_app(api.prepare_service())
