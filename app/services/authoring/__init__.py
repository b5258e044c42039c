"""Problem authoring in the browser: course templates, their versions, copies, export and
import (issue 13)."""
