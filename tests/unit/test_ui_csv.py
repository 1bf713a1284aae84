"""CSV downloads (dashboard/ui/csv.py), as the usage pages and the usage API send them."""

import csv
import io

from dashboard.ui.csv import csv_response


def test_a_csv_download_has_its_header_rows_and_file_name():
    response = csv_response("usage_demo.csv", ["name", "hours"], [["web-1", 1.5], ["db", 2]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="usage_demo.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["name", "hours"],
        ["web-1", "1.5000"],
        ["db", "2"],
    ]


def test_no_cell_is_run_by_a_spreadsheet():
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]
    response = csv_response("x.csv", ["name"], [[n] for n in names])
    cells = [row[0] for row in csv.reader(io.StringIO(response.content.decode(), newline=""))][1:]
    assert cells == ["'" + n for n in names[:6]] + ["plain", "a=b"]
